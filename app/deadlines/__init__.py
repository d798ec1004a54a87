"""Running deadlines: their status in working days, recomputation after calendar changes, the admin operations."""
