"""An area's monthly figures and a household's entries, ready to be rendered."""
