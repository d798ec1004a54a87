"""BPMN engine layer: parsing, script environment, storage of definitions and instances.

Knows SpiffWorkflow and SQLAlchemy; knows nothing of Flask, HTML or the PAKN domain tables.
"""
