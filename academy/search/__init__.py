"""Search: lessons and drills (full text, indexed at publish) and people (by name)."""
