"""Cross-cutting tests: the jurisdiction matrix over every route, and its coverage check."""
