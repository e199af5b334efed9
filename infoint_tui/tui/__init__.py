"""The Textual app. Imported only when the app starts (the command line never loads it)."""
