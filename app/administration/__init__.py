"""Administrators' operations: agencies, accounts, fields, process versions, calendar pages' read models.

Every change is one audited operation refused to anyone but an active administrator.
"""
