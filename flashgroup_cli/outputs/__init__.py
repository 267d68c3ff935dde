"""One module per output format. Each takes a Document and returns text (or prints to a rich console); emit.py picks."""
