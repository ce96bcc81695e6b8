package api

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// CompleteOrder asks for an order's completion once, as Vista documents it
// (no request body). The answer's Status says where it stands: only
// CompletionCompleted is done, Pending is still under way (read it again with
// GetOrderCompletion) and Failed is a failure. A success answer that cannot be
// read is an unknown outcome (Error.Applied), never a failure.
func (c *Client) CompleteOrder(ctx context.Context, orderID string) (*CompletionResponse, error) {
	const op = OpCompleteOrder
	if err := checkID(op, "order id", orderID); err != nil {
		return nil, err
	}
	return c.completion(ctx, &call{
		op:     op,
		method: http.MethodPost,
		path:   "/ocapi/v1/orders/{orderId}/completion",
		params: map[string]string{"orderId": orderID},
	})
}

// GetOrderCompletion reads an order's completion again: where a Pending one
// stands now, or whether a completion whose answer was lost went through.
// KindNotFound means no completion exists for the order.
func (c *Client) GetOrderCompletion(ctx context.Context, orderID string) (*CompletionResponse, error) {
	const op = OpGetOrderCompletion
	if err := checkID(op, "order id", orderID); err != nil {
		return nil, err
	}
	return c.completion(ctx, &call{
		op:     op,
		method: http.MethodGet,
		path:   "/ocapi/v1/orders/{orderId}/completion",
		params: map[string]string{"orderId": orderID},
	})
}

func (c *Client) completion(ctx context.Context, cl *call) (*CompletionResponse, error) {
	var out CompletionResponse
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Status == "" {
		return nil, unreadable(cl, http.StatusOK, errors.New("the completion answer carried no status"))
	}
	return &out, nil
}

// CompletionPolicy bounds FollowCompletion.
type CompletionPolicy struct {
	// MaxReads caps the reads of the completion; 0 means 6.
	MaxReads int
	// Wait is the pause before read n (1-based); nil means 500ms·n capped
	// at 3s, about 10s for the default six reads.
	Wait func(read int) time.Duration
}

func (p CompletionPolicy) withDefaults() CompletionPolicy {
	if p.MaxReads <= 0 {
		p.MaxReads = 6
	}
	if p.Wait == nil {
		p.Wait = func(read int) time.Duration {
			return min(3*time.Second, time.Duration(read)*500*time.Millisecond)
		}
	}
	return p
}

// ErrNoCompletion is what FollowCompletion returns when the server knows no
// completion of the order and no completed order by its id: the completion
// was not made. Whether the order is still in progress is GetOrder's to say.
var ErrNoCompletion = errors.New("the server has no completion of this order")

// FollowCompletion finds out what became of a completion that answered
// Pending, or whose answer was lost: it reads the completion again until it is
// no longer Pending, up to MaxReads reads. When the server has no completion
// for the order, the completed order is asked for before concluding that
// none was made (ErrNoCompletion). A completion still Pending after the last
// read is returned as it is: the caller must not complete the order again.
func (c *Client) FollowCompletion(ctx context.Context, orderID string, policy CompletionPolicy) (*CompletionResponse, error) {
	p := policy.withDefaults()
	var last error
	for read := 1; read <= p.MaxReads; read++ {
		if read > 1 && !pause(ctx, p.Wait(read-1)) {
			break
		}
		resp, err := c.GetOrderCompletion(ctx, orderID)
		switch {
		case err == nil && resp.Status != CompletionPending:
			return resp, nil
		case err == nil:
			last = nil
			if read == p.MaxReads {
				return resp, nil
			}
			continue
		case KindOf(err) == KindNotFound:
			order, oerr := c.GetCompletedOrder(ctx, orderID)
			switch {
			case oerr == nil:
				return &CompletionResponse{OrderID: order.Order.ID, Status: CompletionCompleted}, nil
			case KindOf(oerr) == KindNotFound:
				return nil, &Error{Op: OpGetOrderCompletion, Kind: KindNotFound, Status: http.StatusNotFound, Err: ErrNoCompletion}
			}
			last = oerr
		default:
			last = err
		}
		switch KindOf(last) {
		case KindNetwork, KindTimeout, KindServer, KindUnreadable:
			// A later read may get through.
		default:
			return nil, last
		}
	}
	if last == nil {
		last = ctx.Err()
	}
	return nil, last
}
