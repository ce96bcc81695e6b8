package cli

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Each command sets the memory limit that suits it before it starts work,
// unless GOMEMLIMIT names one.
func TestMemoryLimitPerCommand(t *testing.T) {
	limitOf := func(gomemlimit string, args ...string) []int64 {
		inv := newInvocation(t)
		if gomemlimit != "" {
			inv.env["GOMEMLIMIT"] = gomemlimit
		}
		var mu sync.Mutex
		var set []int64
		env := inv.cliEnv()
		env.SetMemoryLimit = func(n int64) int64 {
			mu.Lock()
			defer mu.Unlock()
			set = append(set, n)
			return 0
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int)
		go func() { done <- Run(ctx, args, env) }()
		if args[0] == "mock" {
			eventually(t, "the mock to listen", func() bool { return strings.Contains(inv.stdout.String(), "listening on") })
			resp, err := http.Get(listeningLine.FindStringSubmatch(inv.stdout.String())[1] + "/ocapi/v1/orders/" + demoOrder)
			if err == nil {
				resp.Body.Close()
			}
		}
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return set
	}
	for _, tc := range []struct {
		gomemlimit string
		args       []string
		want       []int64
	}{
		{"", []string{"mock", "--listen", "127.0.0.1:0"}, []int64{math.MaxInt64}},
		{"", []string{"config", "show"}, []int64{counterMemoryLimit}},
		{"", []string{"doctor"}, []int64{counterMemoryLimit}},
		{"", []string{"--version"}, nil},
		{"1GiB", []string{"mock", "--listen", "127.0.0.1:0"}, nil},
		{"off", []string{"config", "show"}, nil},
	} {
		if got := limitOf(tc.gomemlimit, tc.args...); !slices.Equal(got, tc.want) {
			t.Errorf("GOMEMLIMIT=%q boxoffice %v set the limit %v, want %v", tc.gomemlimit, tc.args, got, tc.want)
		}
	}
}
