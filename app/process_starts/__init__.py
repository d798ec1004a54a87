"""Staff start processes by hand (Camunda's start forms and candidate starters): which deployed processes a user may
start, the start form, and the operation that starts an instance without a petition (PAKN start from petitions)."""
