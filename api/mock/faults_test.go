package mock_test

import (
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec    string
		want    mock.Faults
		wantErr string
	}{
		{spec: "", want: mock.Faults{}},
		{spec: "none", want: mock.Faults{}},
		{spec: "latency=200ms,error=0.2,drop=0.1,seed=7", want: mock.Faults{Latency: 200 * time.Millisecond, Error: 0.2, Drop: 0.1, Seed: 7}},
		{spec: " Latency = 1.5s , seed=-3 ", want: mock.Faults{Latency: 1500 * time.Millisecond, Seed: -3}},
		{spec: "error=1", want: mock.Faults{Error: 1}},
		{spec: "error=0.5,drop=0.5", want: mock.Faults{Error: 0.5, Drop: 0.5}},
		{spec: "latncy=200ms", wantErr: `unknown key "latncy" (want latency, error, drop, seed or completion)`},
		{spec: "latency=fast", wantErr: "latency=fast: want a duration like 200ms"},
		{spec: "latency=-1s", wantErr: "latency=-1s: want a duration"},
		{spec: "error=1.5", wantErr: "error=1.5: want a fraction from 0 to 1"},
		{spec: "drop=-0.1", wantErr: "drop=-0.1: want a fraction from 0 to 1"},
		{spec: "drop=NaN", wantErr: "drop=NaN: want a fraction"},
		{spec: "error=0.7,drop=0.4", wantErr: "error+drop is 1.1"},
		{spec: "seed=x", wantErr: "seed=x: want a whole number"},
		{spec: "error", wantErr: `each item must be key=value`},
		{spec: "error=0.1,,drop=0.1", wantErr: `each item must be key=value`},
		{spec: "error=0.1,error=0.2", wantErr: "error is given twice"},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := mock.ParseFaults(tc.spec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			back, err := mock.ParseFaults(got.String())
			if err != nil || back != got {
				t.Fatalf("String() %q reads back as %+v, %v", got.String(), back, err)
			}
		})
	}
}

func TestFaultsString(t *testing.T) {
	if s := (mock.Faults{}).String(); s != "none" {
		t.Errorf("zero = %q", s)
	}
	f := mock.Faults{Latency: 200 * time.Millisecond, Error: 0.2, Drop: 0.1, Seed: 7}
	if s := f.String(); s != "latency=200ms,error=0.2,drop=0.1,seed=7" {
		t.Errorf("String() = %q", s)
	}
}
