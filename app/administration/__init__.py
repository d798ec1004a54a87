"""Administrators' operations: agencies, accounts, fields, process versions, calendar pages' read models.

Every change is one audited operation refused to anyone but an active administrator.
"""

from . import messages  # noqa: F401  (registers this area's input rules with app.messages)
