"""Periodic reports (seed 004's shape) in Excel and PDF, their archive, and a whole case as PDF. No Flask: the CLI,
the scheduler and the pages call the same functions; every figure comes from app/statistics/figures.py."""
