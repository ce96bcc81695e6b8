package validate

import "time"

// Formats the validator knows. Only date and date-time are checked in
// strings, and int32 in integers; the others describe a value without
// constraining it, as in kin-openapi, which checks no uuid unless told to:
// Vista's ids are 32 hex digits without dashes.
var (
	checkedFormats    = []string{"date", "date-time", "int32"}
	annotationFormats = []string{"double", "password", "uuid"}
)

// formatType is the type a format belongs to.
func formatType(format string) string {
	switch format {
	case "int32":
		return "integer"
	case "double":
		return "number"
	}
	return "string"
}

// formatHolds checks a string against its schema's format.
func formatHolds(format, v string) bool {
	switch format {
	case "date":
		return isDate(v)
	case "date-time":
		return isDateTime(v)
	}
	return true
}

// isDate is RFC 3339's full-date: 2026-11-28, a day its month has.
func isDate(v string) bool {
	return len(v) == len(time.DateOnly) && datePart(v)
}

// isDateTime is RFC 3339's date-time with an upper-case T and Z:
// 2026-11-28T09:00:00Z, 2026-11-28T09:00:00.5+13:00.
func isDateTime(v string) bool {
	const date = len(time.DateOnly)
	if len(v) < date+len("T00:00:00Z") || !datePart(v[:date]) || v[date] != 'T' {
		return false
	}
	rest := v[date+1:]
	if !clock(rest[:8]) {
		return false
	}
	rest = rest[8:]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && isDigit(rest[n]) {
			n++
		}
		if n == 1 {
			return false
		}
		rest = rest[n:]
	}
	switch {
	case rest == "Z":
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		return twoDigits(rest[1:3], 23) && twoDigits(rest[4:6], 59)
	}
	return false
}

// clock is hh:mm:ss, a leap second allowed.
func clock(v string) bool {
	return v[2] == ':' && v[5] == ':' && twoDigits(v[0:2], 23) && twoDigits(v[3:5], 59) && twoDigits(v[6:8], 60)
}

// datePart is yyyy-mm-dd with a day its month has.
func datePart(v string) bool {
	for i := range 4 {
		if !isDigit(v[i]) {
			return false
		}
	}
	if v[4] != '-' || v[7] != '-' || !twoDigits(v[5:7], 12) || !twoDigits(v[8:10], 31) || v[5:7] == "00" || v[8:10] == "00" {
		return false
	}
	_, err := time.Parse(time.DateOnly, v[:len(time.DateOnly)])
	return err == nil
}

// twoDigits is two decimal digits of at most max.
func twoDigits(v string, max int) bool {
	return isDigit(v[0]) && isDigit(v[1]) && int(v[0]-'0')*10+int(v[1]-'0') <= max
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
