"""The money diary: entries and their totals, loans, savings, and the poverty line."""
