"""Helpers of the clerks' task pages (app/web/pages/tasks.py): inbox rows, generated forms, case history.

Not a page module (no blueprint): the views stay thin, the logic here is plain functions over the session.
"""
