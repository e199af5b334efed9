"""File formats in and out (Markdown, JSON, CSV, vCard, iCalendar). Knows nothing of Textual."""
