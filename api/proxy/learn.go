package proxy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// learn takes in what an exchange showed, for the rules of later ones.
func (a *analyzer) learn(o *observation) {
	k := a.k
	orderID := o.params["orderId"]
	if b, ok := o.reqString("credentials", "barcode"); ok && b != "" && len(k.barcodes) < maxBarcodes {
		k.barcodes[k.hash(b)] = true
	}
	switch {
	case slices.Contains(orderAnswers, o.opID) && o.status == http.StatusOK:
		if order, ok := o.respValue("order"); ok {
			if m, ok := order.(map[string]any); ok {
				if id, _ := m["id"].(string); o.is(opCreateOrder) && id != "" {
					k.forget(id)
				}
				k.learnOrder(m, orderID, o.at())
			}
		}
	case o.is(opCancelOrder) && o.ok():
		k.orderFor(orderID).cancelled = true
	case o.is(opAddVoucher) && o.status == http.StatusOK:
		b, _ := o.reqString("credentials", "barcode")
		if id, _ := o.respString("voucher", "id"); id != "" && b != "" {
			k.orderFor(orderID).vouchers[id] = k.hash(b)
		}
	case o.is(opRemoveVoucher) && (o.ok() || o.status == 0):
		// A removal whose answer was lost may have been applied: the
		// voucher is no longer counted on the order either way.
		if ord := k.orders[orderID]; ord != nil {
			delete(ord.vouchers, o.params["voucherId"])
		}
	case (o.is(opComplete) || o.is(opGetCompletion)) && o.status == http.StatusOK:
		ord := k.orderFor(orderID)
		ord.completionMade = true
		if status, _ := o.respString("status"); status == "Completed" {
			ord.completed = true
		}
	case o.is(opGetShowtime) && o.status == http.StatusOK:
		v, _ := o.respValue("showtime")
		k.learnShowtime(v)
	case o.is(opShowtimesByDate) && o.status == http.StatusOK:
		v, _ := o.respValue("showtimes")
		list, _ := v.([]any)
		for _, st := range list {
			k.learnShowtime(st)
		}
	case o.is(opSeatLayout) && o.status == http.StatusOK:
		v, _ := o.respValue()
		k.learnLayout(o.params["showtimeId"], v)
	}
	if o.op != nil && o.x.method == http.MethodGet && o.ok() {
		k.learnRegion(o.x.url.Path, o.x.header.Get("Connect-Region-Code"))
	}
}

// learnShowtime notes whether a showtime's seats are allocated.
func (k *knowledge) learnShowtime(v any) {
	st, _ := v.(map[string]any)
	id, _ := st["id"].(string)
	if allocated, ok := st["isAllocatedSeating"].(bool); ok && id != "" && len(k.allocated) < maxPaths {
		k.allocated[id] = allocated
	}
}

// build brings the report up to date.
func (a *analyzer) build() *Report {
	r := &a.report
	r.Updated = time.Now().UTC()
	// Lists are never null in the JSON, so that a script can range over them.
	r.Operations = make([]OperationSeen, 0, len(a.opOrder))
	for _, key := range a.opOrder {
		r.Operations = append(r.Operations, *a.ops[key])
	}
	r.Violations = make([]ViolationSeen, 0, len(a.violOrder))
	c := &r.Counts
	c.DocumentedViolations, c.DocumentedViolationsTimes = 0, 0
	for _, v := range a.violOrder {
		r.Violations = append(r.Violations, *v)
		if v.Documented {
			c.DocumentedViolations++
			c.DocumentedViolationsTimes += v.Times
		}
	}
	r.Outside = make([]OutsideRequests, 0, len(a.outOrder))
	for _, o := range a.outOrder {
		r.Outside = append(r.Outside, *o)
	}
	r.Lost = make([]LostExchanges, 0, len(a.lostOrder))
	for _, l := range a.lostOrder {
		r.Lost = append(r.Lost, *l)
	}
	c.Confirmed, c.Contradicted, c.BothWays, c.Observed, c.NotSeen, c.NotDecidable = 0, 0, 0, 0, 0, 0
	r.Facts = make([]FactVerdict, 0, len(a.facts))
	for i, f := range a.facts {
		fv := &a.verdicts[i]
		if t := a.shapes[f.shape]; t != nil {
			fv.Observed = t.describe()
		}
		fv.settle()
		c.count(fv.Verdict)
		r.Facts = append(r.Facts, *fv)
	}
	return r
}

// write rewrites the report file: a new file beside it, then renamed over
// it, so that a reader never sees half a report.
func (a *analyzer) write() error {
	if a.opts.Report == "" {
		return nil
	}
	r := a.build()
	var out []byte
	if a.opts.JSON {
		raw, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		out = append(raw, '\n')
	} else {
		out = []byte(Markdown(r))
	}
	dir := filepath.Dir(a.opts.Report)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(a.opts.Report)+".*")
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	_, werr := tmp.Write(out)
	cerr := tmp.Close()
	if werr == nil && cerr == nil {
		werr = os.Rename(tmp.Name(), a.opts.Report)
	}
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		if werr == nil {
			werr = cerr
		}
		return fmt.Errorf("write the report: %w", werr)
	}
	return nil
}
