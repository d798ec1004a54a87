"""Working-day calendars and statutory deadline arithmetic (no Flask, no SpiffWorkflow)."""
