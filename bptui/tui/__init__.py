"""The Textual app. Reads the core's state and sends it commands; the core never sees it."""
