package mock

// The wire shapes of the seat calls and of the seats on orders, as the
// contract transcribes them.

type seatPositionJSON struct {
	AreaNumber  int `json:"areaNumber"`
	RowIndex    int `json:"rowIndex"`
	ColumnIndex int `json:"columnIndex"`
}

type layoutSeatJSON struct {
	ID           string           `json:"id"`
	Label        string           `json:"label"`
	Type         string           `json:"type"`
	Position     seatPositionJSON `json:"position"`
	SeatsInGroup []string         `json:"seatsInGroup"`
}

type seatRowJSON struct {
	Label string           `json:"label"`
	Seats []layoutSeatJSON `json:"seats"`
}

type seatAreaJSON struct {
	Number         int           `json:"number"`
	AreaCategoryID string        `json:"areaCategoryId"`
	Name           translatable  `json:"name"`
	RowCount       int           `json:"rowCount"`
	ColumnCount    int           `json:"columnCount"`
	Rows           []seatRowJSON `json:"rows"`
}

type areaCategoryJSON struct {
	ID                 string       `json:"id"`
	Name               translatable `json:"name"`
	IsAllocatedSeating bool         `json:"isAllocatedSeating"`
}

type seatLayoutResponse struct {
	SeatLayout struct {
		ID    string         `json:"id"`
		Areas []seatAreaJSON `json:"areas"`
	} `json:"seatLayout"`
	RelatedData struct {
		AreaCategories []areaCategoryJSON `json:"areaCategories"`
	} `json:"relatedData"`
}

type seatAvailabilityJSON struct {
	SeatID string `json:"seatId"`
	Status string `json:"status"`
}

type areaSummaryJSON struct {
	AreaCategoryID string `json:"areaCategoryId"`
	TotalCount     int    `json:"totalCount"`
	AvailableCount int    `json:"availableCount"`
}

type seatAvailabilityResponse struct {
	SeatAvailabilities    []seatAvailabilityJSON `json:"seatAvailabilities"`
	IsSoldOut             bool                   `json:"isSoldOut"`
	AreaCategorySummaries []areaSummaryJSON      `json:"areaCategorySummaries,omitempty"`
}

type orderSeatPositionJSON struct {
	AreaNumber   int `json:"areaNumber"`
	ColumnNumber int `json:"columnNumber"`
	RowNumber    int `json:"rowNumber"`
}

type orderSeatJSON struct {
	SeatID         string                `json:"seatId"`
	SeatLabel      string                `json:"seatLabel"`
	RowLabel       string                `json:"rowLabel"`
	AreaName       translatable          `json:"areaName"`
	AreaCategoryID string                `json:"areaCategoryId"`
	Position       orderSeatPositionJSON `json:"position"`
}

type showtimeAreaCategoryJSON struct {
	AreaCategoryID     string `json:"areaCategoryId"`
	IsAllocatedSeating bool   `json:"isAllocatedSeating"`
}
