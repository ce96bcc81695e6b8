package config

import (
	"errors"
	"fmt"
)

// CheckServerURL holds a server URL given outside the settings (boxoffice
// proxy --upstream) to the rules of api_url: absolute http(s) with a host,
// no credentials, query or fragment, and plain http only to this machine
// unless allowInsecure. It returns the URL without a trailing slash.
func CheckServerURL(raw string, allowInsecure bool) (string, error) {
	v, err := parseURL(raw)
	if err != nil {
		return "", err
	}
	if v == "" {
		return "", errors.New("no URL given")
	}
	if !allowInsecure && plainHTTPToRemote(v) {
		return "", fmt.Errorf("%s would send tokens and PINs unencrypted to another machine — use https://, or give --allow-insecure-http if the network is trusted", raw)
	}
	return v, nil
}
