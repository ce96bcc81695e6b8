// Package ui is the counter screen: a Bubble Tea program that shows the
// order, attaches the vouchers scanned into its form, and lets the operator
// set tickets, remove vouchers and complete or cancel the order.
//
// The life of a scan:
//
//  1. Keys reach Model.Update (app.go), which routes them in handleKey: text
//     goes to the scan form, scanForm (scanform.go), through handleRunes,
//     which times the burst to tell a scanner from a person.
//  2. Enter, Tab, CR LF or the idle gap (handleIdle) end the field:
//     terminate moves from the barcode to the PIN, then submit checks the
//     scan against the order and hands it to the pipeline, scanQueue
//     (scanqueue.go), with take.
//  3. startNext asks scanQueue.next for the oldest scan and runs attachCmd
//     (commands.go): journal.AttachUnsynced writes the attempt, sends the add
//     once through api.Client.AttachVoucher, and writes the outcome.
//  4. The answer, attachDoneMsg, goes to scanQueue.Update, which holds it
//     until a journal sync (syncJournalCmd, journalSyncedMsg) has its line on
//     disk, letting the next scan go out meanwhile.
//  5. Each settled outcome is put on screen by report: the voucher listed
//     (voucherList, vouchers.go) or the scan kept under "Not attached" with
//     its reason, and the status line (status.go) saying which.
//
// The parts of the screen are components held by the root, Model (app.go),
// which routes messages to them and lays them out: each is a pointer type
// with Update(msg) tea.Cmd and, where it has rows or fields, SetSize, which
// Update calls with the room the screen has (sizeMiddle); View draws from
// what Update left. They are the scan form (scanForm, scanform.go), the
// pipeline (scanQueue), the voucher list (voucherList, vouchers.go, with
// removing a voucher), the tickets panel (ticketsPanel, tickets.go), the
// showtime picker (showtimePicker, picker.go) and the status line with its
// confirmations (statusLine, status.go). The order and its header are in
// order.go and orderview.go; every call to the server or the journal starts
// in calls (commands.go), within the program's context; the words for every
// failure are in messages.go; frame pacing is in pacing.go.
//
// A key: bindings are in keyMap (keys.go), matched in handleKey (app.go);
// a key for the tickets panel is matched there while m.panel is
// panelTickets, and shown in the panel's help bar by modeHelp (help.go)
// for helpTickets. The rules about prices and vouchers that are not about
// drawing are in package pricing.
package ui
