"""The leaders' monthly review (seed 002, Bắc Ninh 17/2024): hidden, one-star and rule-breaking reports."""
