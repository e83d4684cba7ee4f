"""The content store: published modules and scenarios, and the history of their revisions."""
