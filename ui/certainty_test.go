package ui

// What the screen says when an add's outcome cannot be claimed: a
// look-alike found after a lost answer, a repeat the clerk stopped, and a
// journal that failed before anything was sent.

import (
	"errors"
	"fmt"
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/desk"
)

// A lost answer and a look-alike on the order: not listed as attached,
// kept to check, in words that say why.
func TestALookAlikeAfterALostAnswerIsNotClaimed(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0001001\r")
	s := d.lastCall("attach").scan
	alike := api.OrderVoucher{ID: "theirs", MaskedBarcode: api.MaskBarcode(s.Barcode), Type: s.Type}
	d.send(attachDoneMsg{orderID: seedOrderID, scan: s,
		result: api.AttachResult{Outcome: api.AttachMatchedByMask, LookAlikes: []api.OrderVoucher{alike}},
		err:    &api.Error{Op: api.OpAddVoucher, Kind: api.KindTimeout, OutcomeUnknown: true, Err: api.ErrLookAlike}})
	d.mustShow("Voucher AD......1001: its answer was lost, and the order now holds 1 voucher that looks like it, which may be another counter's",
		"Not attached (1)", "check: on the order?")
	d.mustNotShow("Attached AD......1001", "Vouchers on this order (1)")
}

// A repeat the clerk stopped at send time is said as a repeat: not a
// refusal, not kept to retry.
func TestARepeatTheClerkStoppedIsNoRefusal(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0001001\r")
	s := d.lastCall("attach").scan
	d.send(attachDoneMsg{orderID: seedOrderID, scan: s,
		err: &desk.RepeatError{OrderID: seedOrderID, MaskedBarcode: api.MaskBarcode(s.Barcode), InFlight: true}})
	d.mustShow("Voucher AD......1001 was scanned again: it is already on its way to this order, and is sent once")
	d.mustNotShow("Not attached", "rejected")
}

// A journal that fails before the attempt is written stops attaching, and
// says the scan was not sent.
func TestAJournalFailingBeforeTheSendSaysNothingWasSent(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0001001\r")
	s := d.lastCall("attach").scan
	broken := fmt.Errorf("the journal file was replaced: %w", errors.Join(errors.New("journal moved"), desk.ErrNothingSent))
	d.send(attachDoneMsg{orderID: seedOrderID, scan: s, journalErr: broken})
	d.mustShow("Attaching is stopped, and AD......1001 was not sent: the journal cannot be written", "Not attached (1)")
	d.scanKeys("ADTMM0001002\r")
	d.mustShow("Attaching is stopped")
	if n := len(d.backend.made("attach")); n != 1 {
		t.Fatalf("%d adds: a scan went out after the journal failed", n)
	}
}
