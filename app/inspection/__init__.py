"""What auditors (thanh tra) read: a search over cases, one case as it stands (diagram marks, current steps,
deadlines, history) and its history exported as CSV or JSON. Read-only: everything goes through the engine's
read path and the domain's one deadline view and one history."""
