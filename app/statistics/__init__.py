"""Statistics and reports: the figures the law asks for (figures.py), computed by SQL aggregates."""
