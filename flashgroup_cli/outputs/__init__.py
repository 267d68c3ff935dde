"""One module per output format. Each takes a Document and returns text (or writes to a rich console)."""

FORMATS = ("table", "md", "json", "csv", "ics")
