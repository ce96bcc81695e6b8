package config

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/boxoffice/boxoffice/api"
)

// parseVoucherPrefixes reads PREFIX=TYPE pairs separated by commas, the
// form the environment, a flag and (through fileValue) the file give.
// Prefixes match barcodes whatever their case, so two that differ only in
// case are the same prefix given twice.
func parseVoucherPrefixes(v string) (map[string]api.VoucherType, error) {
	out := map[string]api.VoucherType{}
	if strings.TrimSpace(v) == "" {
		return out, nil
	}
	seen := map[string]string{}
	for _, pair := range strings.Split(v, ",") {
		prefix, typ, ok := strings.Cut(pair, "=")
		prefix, typ = strings.TrimSpace(prefix), strings.TrimSpace(typ)
		if !ok {
			return nil, fmt.Errorf("%q is not PREFIX=TYPE — write it like 9300=Deal", strings.TrimSpace(pair))
		}
		if prefix == "" {
			return nil, fmt.Errorf("an empty prefix (for %s) would match every barcode — remove it, and set voucher_type for the type scans start with", orQuoted(typ))
		}
		if _, err := api.ValidateBarcode(prefix); err != nil || strings.ContainsFunc(prefix, unicode.IsSpace) {
			return nil, fmt.Errorf("prefix %q is not the start of a barcode: it must be printable, without spaces, at most %d characters", prefix, api.MaxBarcodeLength)
		}
		t, err := api.ParseVoucherType(typ)
		if err != nil {
			return nil, fmt.Errorf("prefix %q: %s is not one of %s", prefix, orQuoted(typ), strings.Join(values(voucherTypeChoices), ", "))
		}
		if first, dup := seen[strings.ToUpper(prefix)]; dup {
			if first == prefix {
				return nil, fmt.Errorf("prefix %q is given twice — keep one", prefix)
			}
			return nil, fmt.Errorf("prefixes %q and %q are the same (prefixes match barcodes in any case) — keep one", first, prefix)
		}
		seen[strings.ToUpper(prefix)] = prefix
		out[prefix] = t
	}
	return out, nil
}

func orQuoted(s string) string {
	if s == "" {
		return "no type"
	}
	return fmt.Sprintf("%q", s)
}

// formatVoucherPrefixes writes prefixes back in the form
// parseVoucherPrefixes reads, in a steady order.
func formatVoucherPrefixes(m map[string]api.VoucherType) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + string(m[k])
	}
	return strings.Join(pairs, ",")
}

// prefixTableValue turns the file's table of prefixes into the text the
// other layers give. A prefix that the text form cannot hold is refused here,
// where it can still be named.
func prefixTableValue(v any) (string, error) {
	table, ok := v.(map[string]any)
	if !ok {
		return "", fmt.Errorf("want a table such as %s, got %s", lookup("voucher_prefixes").example, tomlType(v))
	}
	pairs := make(map[string]api.VoucherType, len(table))
	for prefix, t := range table {
		s, ok := t.(string)
		if !ok {
			return "", fmt.Errorf("prefix %q: want a quoted voucher type such as \"Deal\", got %s", prefix, tomlType(t))
		}
		if strings.ContainsAny(prefix, ",=") || strings.ContainsAny(s, ",=") {
			return "", fmt.Errorf("prefix %q = %q: a prefix or type cannot hold a comma or =", prefix, s)
		}
		pairs[prefix] = api.VoucherType(s)
	}
	return formatVoucherPrefixes(pairs), nil
}
