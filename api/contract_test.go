package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/contract/contracttest"
)

// contractServer answers every request with the body set for it and checks
// the request against the contract on the way in.
type contractServer struct {
	*httptest.Server
	t        *testing.T
	contract *contracttest.Contract

	mu     sync.Mutex
	status int
	body   []byte
	seen   []string // "METHOD operationId"
}

// barcodeAnswered is a barcode that fits the masked barcode of the voucher
// the server will answer an add with (its masked characters as zeros), so
// that the answer is about the voucher sent; def when it names none.
func (s *contractServer) barcodeAnswered(def string) string {
	s.mu.Lock()
	body := s.body
	s.mu.Unlock()
	var answer struct {
		Voucher struct {
			MaskedBarcode any `json:"maskedBarcode"`
		} `json:"voucher"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return def
	}
	masked, _ := answer.Voucher.MaskedBarcode.(string)
	if masked == "" {
		return def
	}
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '*' {
			return '0'
		}
		return r
	}, masked)
}

func newContractServer(t *testing.T) *contractServer {
	t.Helper()
	s := &contractServer{t: t, contract: contracttest.Load(t), status: 200}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := s.contract.ValidateRequest(r, body); err != nil {
			t.Errorf("the client's request breaks the contract: %v\nbody: %s", err, body)
		}
		if op, _, ok := s.contract.Route(r); ok {
			s.mu.Lock()
			s.seen = append(s.seen, r.Method+" "+op.ID)
			s.mu.Unlock()
		}
		s.mu.Lock()
		status, answer := s.status, s.body
		s.mu.Unlock()
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(answer)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *contractServer) answer(status int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body = status, body
}

func (s *contractServer) client(t *testing.T) *api.Client {
	t.Helper()
	c, err := api.New(api.Options{BaseURL: s.URL, Token: "test-token", RegionCode: "NZ", GetRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// operationCall makes the client call of an operation, returning what the
// caller would see. Every operation of the contract has one.
var operationCalls = map[string]func(ctx context.Context, c *api.Client, s *contractServer) (any, error){
	"GlobalAuthentication_CreateToken": func(ctx context.Context, _ *api.Client, s *contractServer) (any, error) {
		g := api.NewPasswordGrant(s.URL, "boxoffice", "counter1", "s3cret", nil)
		tok, err := g.Token(ctx)
		return tok, err
	},
	"OcapiOrders_CreateStandardOrderAsBooking": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.CreateOrder(ctx, "0001", api.BookingPaid)
	},
	"OcapiOrders_GetOrder": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.GetOrder(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09")
	},
	"OcapiOrders_CancelOrder": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return nil, c.CancelOrder(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09")
	},
	"OcapiOrderVouchers_AddVoucher": func(ctx context.Context, c *api.Client, s *contractServer) (any, error) {
		pin := "1234"
		return c.AddVoucher(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09", api.AddVoucherRequest{Type: api.VoucherTicket,
			ShowtimeID: "0001-2681", Credentials: api.VoucherCredentials{Barcode: s.barcodeAnswered("ADTMM0000111"), Pin: &pin}})
	},
	"OcapiOrderVouchers_RemoveVoucher": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return nil, c.RemoveVoucher(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09", "a3f0c1d2e3b4a5968778695a4b3c2d1e")
	},
	"OcapiOrderShowtimes_SetShowtime": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		// The call that keeps the order's seats: its read of the order is
		// held to the contract too.
		return c.SetShowtimeTickets(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09", "0001-2681", []api.TicketRequest{
			{TicketTypeID: "0001-0050"}, {TicketTypeID: "0001-0077", VoucherID: "a3f0c1d2e3b4a5968778695a4b3c2d1e"}})
	},
	"OcapiOrderCompletion_CreateOrderCompletion": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.CompleteOrder(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09")
	},
	"OcapiOrderCompletion_GetOrderCompletion": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.GetOrderCompletion(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09")
	},
	"OcapiCompletedOrders_GetCompletedOrderByOrderid": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.GetCompletedOrder(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09")
	},
	"OcapiShowtimes_GetShowtime": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.GetShowtime(ctx, "0001-2681")
	},
	"OcapiShowtimes_GetShowtimesForBusinessDate": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.ShowtimesByBusinessDate(ctx, "2026-07-11", "0001", "0002")
	},
	"OcapiTicketPrices_GetTicketPricesForShowtime": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.GetTicketPrices(ctx, "0001-2681")
	},
	"OcapiSeatLayouts_GetSeatLayout": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.GetSeatLayout(ctx, "0001-2681")
	},
	"OcapiSeatAvailability_GetSeatAvailabilityForShowtime": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.GetSeatAvailability(ctx, "0001-2681")
	},
	"OcapiSeatAvailability_GetSeatAvailabilityForOrder": func(ctx context.Context, c *api.Client, _ *contractServer) (any, error) {
		return c.GetOrderSeatAvailability(ctx, "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09", "0001-2681")
	},
}

// Every documented answer decodes with the client, and every request the
// client makes for it is one the contract allows. A sample the client cannot
// read is a bug in the client, never in the sample.
func TestEveryDocumentedSampleDecodes(t *testing.T) {
	s := newContractServer(t)
	c := s.client(t)
	examples := s.contract.SuccessExamples(t)
	covered := map[string]bool{}
	for _, ex := range examples {
		t.Run(ex.OperationID+"/"+ex.Name, func(t *testing.T) {
			call := operationCalls[ex.OperationID]
			if call == nil {
				t.Fatalf("the client has no call for %s", ex.OperationID)
			}
			s.answer(ex.Status, ex.Body)
			if _, err := call(context.Background(), c, s); err != nil {
				t.Fatalf("the client cannot read Vista's %q sample: %v\nsample: %s", ex.Name, err, ex.Body)
			}
			covered[ex.OperationID] = true
		})
	}
	// Operations whose success carries no body (204) are called once too, so
	// their requests are checked.
	for _, op := range []string{"OcapiOrders_CancelOrder", "OcapiOrderVouchers_RemoveVoucher"} {
		s.answer(http.StatusNoContent, nil)
		if _, err := operationCalls[op](context.Background(), c, s); err != nil {
			t.Errorf("%s answered 204: %v", op, err)
		}
		covered[op] = true
	}
	for op := range operationCalls {
		if !covered[op] {
			t.Errorf("no documented answer of %s was tried", op)
		}
	}
	for _, op := range s.contract.Operations() {
		if operationCalls[op.ID] == nil {
			t.Errorf("the contract has %s, which no client call covers", op.ID)
		}
	}
}

// The request of each call carries what Vista documents: the bearer token and
// the region header on every OCAPI call, and no body where none is documented.
func TestRequestsCarryTokenAndRegion(t *testing.T) {
	contract := contracttest.Load(t)
	var mu sync.Mutex
	var problems []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		op, _, ok := contract.Route(r)
		mu.Lock()
		switch {
		case !ok:
			problems = append(problems, "unrouted "+r.URL.Path)
		case r.Header.Get("Authorization") != "Bearer test-token" || r.Header.Get("Connect-Region-Code") != "NZ":
			problems = append(problems, op.ID+": headers "+fmt.Sprint(r.Header))
		case !op.HasRequestBody && len(body) > 0:
			problems = append(problems, op.ID+": a body where Vista documents none: "+string(body))
		}
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	s := &contractServer{Server: srv}
	c := s.client(t)
	for op, call := range operationCalls {
		if op == "GlobalAuthentication_CreateToken" {
			continue
		}
		_, _ = call(context.Background(), c, s)
	}
	// The PUT itself, which keeping seats puts behind a read that fails here.
	_, _ = c.SetShowtime(context.Background(), "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09", "0001-2681",
		[]api.TicketRequest{{TicketTypeID: "0001-0050"}}, api.ChooseSeats("0000000001-5-18"))
	for _, p := range problems {
		t.Error(p)
	}
}

// A field the client does not use never makes an answer unreadable, whatever
// it holds: each one of every documented sample is swapped for other types,
// null and deeper nesting, and the client must read the same as from the
// sample itself. What "used" means is read off the client's own types, so a
// field it starts to use is protected by the test at once.
func TestUnusedFieldsNeverBreakDecoding(t *testing.T) {
	s := newContractServer(t)
	// Mutants break the contract on purpose: only the client is under test.
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		status, body := s.status, s.body
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
	c := s.client(t)
	replacements := []any{nil, 42, -1.5, "text", true, []any{}, map[string]any{},
		map[string]any{"x": map[string]any{"y": []any{1, map[string]any{"z": nil}}}}, []any{[]any{map[string]any{}}}}
	mutants := 0
	for _, ex := range contracttest.Load(t).SuccessExamples(t) {
		target := decodeTargets[ex.OperationID]
		if target == nil {
			continue // the token: its whole answer is used
		}
		call := operationCalls[ex.OperationID]
		s.answer(ex.Status, ex.Body)
		want, err := call(context.Background(), c, s)
		if err != nil {
			t.Fatalf("%s %s: %v", ex.OperationID, ex.Name, err)
		}
		var doc any
		if err := json.Unmarshal(ex.Body, &doc); err != nil {
			t.Fatal(err)
		}
		for _, path := range unusedPaths(doc, target, nil) {
			for _, repl := range replacements {
				mutant := replaceAt(doc, path, repl)
				body, _ := json.Marshal(mutant)
				s.answer(ex.Status, body)
				got, err := call(context.Background(), c, s)
				mutants++
				if err != nil {
					t.Errorf("%s %s: %s = %s made the answer unreadable: %v", ex.OperationID, ex.Name, strings.Join(path, "."), mustJSON(repl), err)
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s %s: %s = %s changed what the client read:\n got %+v\nwant %+v", ex.OperationID, ex.Name, strings.Join(path, "."), mustJSON(repl), got, want)
				}
			}
		}
	}
	if mutants < 500 {
		t.Errorf("only %d mutants were tried: the samples lost their unused fields?", mutants)
	}
}

// Where Vista documents a Translatable, a plain string, null and {} also read.
func TestTranslatablesAcceptTheirVariants(t *testing.T) {
	s := newContractServer(t)
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body := s.body
		s.mu.Unlock()
		_, _ = w.Write(body)
	})
	c := s.client(t)
	sample := `{"voucher":{"id":"v1","type":"Ticket","maskedBarcode":"AD......0111","voucherTypeCode":"ADTMM","voucherTypeDescription":%s},"availableRedemptions":2}`
	for _, tt := range []struct{ desc, want string }{
		{`{"text":"Adult Movie Money","translations":[{"languageTag":"mi-NZ","text":"Moni"}]}`, "Adult Movie Money"},
		{`"Adult Movie Money"`, "Adult Movie Money"},
		{`{}`, ""}, {`null`, ""}, {`{"text":null}`, ""}, {`{"translations":[]}`, ""}, {`7`, ""},
	} {
		s.answer(200, fmt.Appendf(nil, sample, tt.desc))
		got, err := c.AddVoucher(context.Background(), "o1", api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
			Credentials: api.VoucherCredentials{Barcode: "ADTMM0000111"}})
		if err != nil || got.Voucher.VoucherTypeDescription != tt.want || got.AvailableRedemptions != 2 {
			t.Errorf("voucherTypeDescription %s: %+v, %v; want %q", tt.desc, got, err, tt.want)
		}
	}
}

// decodeTargets are the Go types each operation's answer is read into.
var decodeTargets = map[string]reflect.Type{
	"OcapiOrders_CreateStandardOrderAsBooking":             reflect.TypeFor[api.OrderResponse](),
	"OcapiOrders_GetOrder":                                 reflect.TypeFor[api.OrderResponse](),
	"OcapiOrderShowtimes_SetShowtime":                      reflect.TypeFor[api.OrderResponse](),
	"OcapiCompletedOrders_GetCompletedOrderByOrderid":      reflect.TypeFor[api.OrderResponse](),
	"OcapiOrderVouchers_AddVoucher":                        reflect.TypeFor[api.AddVoucherResponse](),
	"OcapiOrderCompletion_CreateOrderCompletion":           reflect.TypeFor[api.CompletionResponse](),
	"OcapiOrderCompletion_GetOrderCompletion":              reflect.TypeFor[api.CompletionResponse](),
	"OcapiShowtimes_GetShowtime":                           reflect.TypeFor[api.ShowtimeResponse](),
	"OcapiShowtimes_GetShowtimesForBusinessDate":           reflect.TypeFor[api.ShowtimesResponse](),
	"OcapiTicketPrices_GetTicketPricesForShowtime":         reflect.TypeFor[api.TicketPricesResponse](),
	"OcapiSeatLayouts_GetSeatLayout":                       reflect.TypeFor[api.SeatLayoutResponse](),
	"OcapiSeatAvailability_GetSeatAvailabilityForShowtime": reflect.TypeFor[api.SeatAvailabilityResponse](),
	"OcapiSeatAvailability_GetSeatAvailabilityForOrder":    reflect.TypeFor[api.SeatAvailabilityResponse](),
}

// leafTypes decode their whole value themselves: nothing inside them is
// "unused", so they are never taken apart.
var leafTypes = []reflect.Type{
	reflect.TypeFor[api.Text](), reflect.TypeFor[api.Timestamp](), reflect.TypeFor[api.VoucherType](),
	reflect.TypeFor[api.CompletionStatus](), reflect.TypeFor[api.SeatType](), reflect.TypeFor[api.SeatStatus](),
}

// unusedPaths lists the paths of doc (object keys, "*" for array elements)
// that type t does not declare.
func unusedPaths(doc any, t reflect.Type, at []string) [][]string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if slices.Contains(leafTypes, t) {
		return nil
	}
	var out [][]string
	switch v := doc.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return nil // a scalar or raw value the client reads whole
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			path := append(slices.Clone(at), k)
			ft, used := fields[k]
			if !used {
				out = append(out, path)
				continue
			}
			out = append(out, unusedPaths(v[k], ft, path)...)
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return nil
		}
		for i, e := range v {
			out = append(out, unusedPaths(e, t.Elem(), append(slices.Clone(at), fmt.Sprint(i)))...)
		}
	}
	return out
}

// jsonFields maps the JSON names a struct decodes to their types, through
// embedded structs; the answer types' own UnmarshalJSON methods read the
// same names.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case f.Anonymous && name == "":
			for k, v := range jsonFields(f.Type) {
				fields[k] = v
			}
		case name == "":
			fields[f.Name] = f.Type
		default:
			fields[name] = f.Type
		}
	}
	return fields
}

// replaceAt returns a copy of doc with the value at path replaced.
func replaceAt(doc any, path []string, value any) any {
	if len(path) == 0 {
		return value
	}
	switch v := doc.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = e
		}
		out[path[0]] = replaceAt(v[path[0]], path[1:], value)
		return out
	case []any:
		out := slices.Clone(v)
		var i int
		fmt.Sscan(path[0], &i)
		out[i] = replaceAt(v[i], path[1:], value)
		return out
	}
	return doc
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
