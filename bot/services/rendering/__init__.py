"""Files made for people: Excel workbooks, charts, printed invite cards."""
