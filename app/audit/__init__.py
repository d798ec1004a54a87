"""The append-only audit log: who did what, when, to which case, with the data submitted."""
