package api

import (
	"cmp"
	"encoding/json"
	"strings"
)

// ShowtimeAreaCategory is one area category of a showtime. IsAllocatedSeating
// is nil when the server did not say, in which case the showtime's own
// IsAllocatedSeating holds for the category.
type ShowtimeAreaCategory struct {
	AreaCategoryID     string `json:"areaCategoryId"`
	IsAllocatedSeating *bool  `json:"isAllocatedSeating"`
}

// OrderSeat is a seat an order holds for one of its showtimes. SeatID is
// what SetShowtime takes back; RowLabel and SeatLabel are what the customer
// reads on the ticket ("F" and "12").
type OrderSeat struct {
	SeatID         string `json:"seatId"`
	RowLabel       string `json:"rowLabel"`
	SeatLabel      string `json:"seatLabel"`
	AreaCategoryID string `json:"areaCategoryId"`
}

// Name is how the seat is spoken of at the counter: its row and seat labels
// together ("F12"), or its id when the server sent no labels.
func (s OrderSeat) Name() string {
	if s.RowLabel == "" && s.SeatLabel == "" {
		return s.SeatID
	}
	return s.RowLabel + s.SeatLabel
}

// UnmarshalJSON reads every field as text whether it arrives as a string or
// a number, and anything else as "", so that no seat makes an order
// unreadable (SetShowtime refuses to keep a seat whose id it could not
// read rather than drop it). It takes "id" for the seat id and
// "areaCategoryCode" for the category when the documented names are missing.
func (s *OrderSeat) UnmarshalJSON(b []byte) error {
	var w struct {
		SeatID         looseText `json:"seatId"`
		ID             looseText `json:"id"`
		RowLabel       looseText `json:"rowLabel"`
		SeatLabel      looseText `json:"seatLabel"`
		AreaCategoryID looseText `json:"areaCategoryId"`
		LegacyCategory looseText `json:"areaCategoryCode"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = OrderSeat{SeatID: string(w.SeatID), RowLabel: string(w.RowLabel), SeatLabel: string(w.SeatLabel), AreaCategoryID: string(w.AreaCategoryID)}
	if s.SeatID == "" {
		s.SeatID = string(w.ID)
	}
	if s.AreaCategoryID == "" {
		s.AreaCategoryID = string(w.LegacyCategory)
	}
	return nil
}

// looseText is a string or a number as text; any other value reads as "".
type looseText string

func (t *looseText) UnmarshalJSON(b []byte) error {
	var r refID
	if r.UnmarshalJSON(b) != nil {
		r = ""
	}
	*t = looseText(r)
	return nil
}

// SeatIDs lists the ids of the seats an order showtime holds.
func (st OrderShowtime) SeatIDs() []string {
	if len(st.Seats) == 0 {
		return nil
	}
	ids := make([]string, 0, len(st.Seats))
	for _, s := range st.Seats {
		if s.SeatID != "" {
			ids = append(ids, s.SeatID)
		}
	}
	return ids
}

// SeatType is what kind of seat a layout seat is. Known types are kept in
// the spelling below whatever case the server used; any other is kept as
// sent, and one that is not text at all reads as "".
type SeatType string

const (
	SeatNormal     SeatType = "Normal"
	SeatWheelchair SeatType = "Wheelchair"
	SeatCompanion  SeatType = "Companion"
	SeatSofa       SeatType = "Sofa"
	SeatHouse      SeatType = "House"
	SeatBroken     SeatType = "Broken"
)

var seatTypes = []SeatType{SeatNormal, SeatWheelchair, SeatCompanion, SeatSofa, SeatHouse, SeatBroken}

// UnmarshalJSON never fails: a seat's kind is never worth losing a layout for.
func (t *SeatType) UnmarshalJSON(b []byte) error {
	*t = ""
	var s string
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	*t = SeatType(s)
	for _, known := range seatTypes {
		if strings.EqualFold(s, string(known)) {
			*t = known
		}
	}
	return nil
}

// SeatLayoutResponse is the body of GET /ocapi/v1/showtimes/{showtimeId}/seat-layout.
type SeatLayoutResponse struct {
	SeatLayout  SeatLayout `json:"seatLayout"`
	RelatedData struct {
		AreaCategories []AreaCategory `json:"areaCategories"`
	} `json:"relatedData"`
}

// AreaCategory names an area category; its id is what ticket types and
// areas refer to.
type AreaCategory struct {
	ID                 string `json:"id"`
	Name               Text   `json:"name"`
	IsAllocatedSeating *bool  `json:"isAllocatedSeating"`
}

// CategoryName is the name of an area category, "" when not sent.
func (r SeatLayoutResponse) CategoryName(id string) string {
	for _, c := range r.RelatedData.AreaCategories {
		if c.ID == id {
			return string(c.Name)
		}
	}
	return ""
}

// SeatLayout is an auditorium as a showtime uses it: areas, each a grid of
// rows and columns in which some cells hold a seat and the others are
// aisles or empty space.
type SeatLayout struct {
	ID    string     `json:"id"`
	Areas []SeatArea `json:"areas"`
}

// SeatArea is one area of a layout. Its area category decides which ticket
// types may sit in it. RowCount and ColumnCount are the size of its grid,
// 0 when not sent (the seats' positions then give it).
type SeatArea struct {
	Number         int       `json:"number"`
	AreaCategoryID string    `json:"areaCategoryId"`
	Name           Text      `json:"name"`
	RowCount       int       `json:"rowCount"`
	ColumnCount    int       `json:"columnCount"`
	Rows           []SeatRow `json:"rows"`
}

// UnmarshalJSON takes "description" for the name when "name" is missing.
func (a *SeatArea) UnmarshalJSON(b []byte) error {
	type plain SeatArea
	var w struct {
		plain
		Description Text `json:"description"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = SeatArea(w.plain)
	if a.Name == "" {
		a.Name = w.Description
	}
	return nil
}

// SeatRow is a row of an area with its label ("F").
type SeatRow struct {
	Label string       `json:"label"`
	Seats []LayoutSeat `json:"seats"`
}

// LayoutSeat is one seat of a layout. Its label is the seat's own ("12");
// the row's label goes in front of it. Position places it on its area's
// grid, and only Position does: labels need not follow positions.
// SeatsInGroup lists the ids of the seats of its sofa or group, itself
// included, nil for a seat that stands alone.
type LayoutSeat struct {
	ID           string       `json:"id"`
	Label        string       `json:"label"`
	Type         SeatType     `json:"type"`
	Position     SeatPosition `json:"position"`
	SeatsInGroup seatIDList   `json:"seatsInGroup"`
}

// SeatPosition is a seat's cell: its area and its 1-based row and column
// on the area's grid. Row 1 need not be the front.
type SeatPosition struct {
	AreaNumber  int `json:"areaNumber"`
	RowIndex    int `json:"rowIndex"`
	ColumnIndex int `json:"columnIndex"`
}

// seatIDList reads a list of seat ids given as strings or as objects with an
// id or seatId; anything else reads as no group.
type seatIDList []string

func (l *seatIDList) UnmarshalJSON(b []byte) error {
	*l = nil
	var raw []json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			*l = append(*l, s)
			continue
		}
		var obj struct {
			ID     string `json:"id"`
			SeatID string `json:"seatId"`
		}
		if json.Unmarshal(r, &obj) == nil && (obj.SeatID != "" || obj.ID != "") {
			*l = append(*l, cmp.Or(obj.SeatID, obj.ID))
		}
	}
	return nil
}

// SeatStatus is a seat's availability. Only SeatAvailable is free: any
// other status, one the client does not know included, is never offered.
type SeatStatus string

const (
	SeatAvailable SeatStatus = "Available"
	SeatSold      SeatStatus = "Sold"
	// SeatStatusBroken is a seat out of use for the showtime.
	SeatStatusBroken SeatStatus = "Broken"
)

// Free reports whether the seat may be taken.
func (s SeatStatus) Free() bool { return s == SeatAvailable }

// UnmarshalJSON keeps the known statuses in their spelling whatever the
// case, any other text as sent, and reads anything else as "" (not free).
func (s *SeatStatus) UnmarshalJSON(b []byte) error {
	*s = ""
	var v string
	if json.Unmarshal(b, &v) != nil {
		return nil
	}
	*s = SeatStatus(v)
	for _, known := range []SeatStatus{SeatAvailable, SeatSold, SeatStatusBroken} {
		if strings.EqualFold(v, string(known)) {
			*s = known
		}
	}
	return nil
}

// SeatAvailabilityResponse is the body of both seat availability calls:
// one status per seat. A seat the answer leaves out is not free. Vista
// warns that it lags behind sales by a moment: it is for drawing the map,
// never for confirming that a seat was taken (the order says that).
type SeatAvailabilityResponse struct {
	SeatAvailabilities []SeatAvailability `json:"seatAvailabilities"`
	IsSoldOut          bool               `json:"isSoldOut"`
}

// SeatAvailability is one seat's status.
type SeatAvailability struct {
	SeatID string     `json:"seatId"`
	Status SeatStatus `json:"status"`
}

// Seats says what SetShowtime does with a showtime's seats. The zero value
// is KeepSeats.
type Seats struct {
	mode seatsMode
	ids  []string
}

type seatsMode int

const (
	seatsKeep seatsMode = iota
	seatsChosen
	seatsAllocated
)

// KeepSeats sends back the seats the order holds for the showtime, read
// from the server just before, so that changing tickets never moves or
// drops a seat the customer has. When no tickets are sent it frees them
// with the tickets.
func KeepSeats() Seats { return Seats{} }

// ChooseSeats sends exactly these seats (ids from the seat layout): the
// order then holds these and no others.
func ChooseSeats(ids ...string) Seats {
	return Seats{mode: seatsChosen, ids: append([]string{}, ids...)}
}

// AllocateSeats sends no seats (null): the server allocates them itself
// where the showtime does that, and any seat the order held is given up.
func AllocateSeats() Seats { return Seats{mode: seatsAllocated} }
