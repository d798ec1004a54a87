"""The tasklist: who may do which user task, claiming, completing, inboxes and case history."""
