"""Alembic migrations of the product's schema (see app/schema.py for how they are run)."""
