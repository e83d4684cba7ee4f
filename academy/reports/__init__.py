"""HR read side: queries over the materialised certificate states, and their exports."""
