"""The library of information articles: parsing, search, rendering, checks."""
