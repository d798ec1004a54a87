"""Firing timers: claim due timer rows, advance their instances through the normal operations."""
