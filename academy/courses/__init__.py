"""Course modules as files: format, validation, Markdown rendering (pure)."""
