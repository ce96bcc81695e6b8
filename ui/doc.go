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
// Where things are: the order and its header in order.go and orderview.go;
// the tickets panel in tickets.go; the showtime picker in picker.go; help
// and the key map in help.go and keys.go (a key for the tickets panel is a
// binding in keyMap, matched in handleKey and shown by modeHelp for
// helpTickets); calls to the server in commands.go; the words for every
// failure in messages.go; frame pacing in pacing.go.
package ui
