"""The evidence ledger: every learning record, written through one function."""
