package mock

// SetFaults changes a running server's faults, so a test can let one request
// fail and then look at the state with the next.
func SetFaults(s *Server, f Faults) { s.dice.set(f) }

// HeldOrders counts the orders whose data the server still holds.
func HeldOrders(s *Server) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.orders)
}

// SeedJSON is the built-in demo data as embedded, for holding it to
// ParseData: DefaultData skips the shape walk.
var SeedJSON = seedJSON

// MaskJSON is maskJSON with the reference mask, for its fuzz test.
func MaskJSON(body []byte) ([]byte, bool) { return maskJSON(body, &Profile{}) }
