"""Provinces and the agencies (cơ quan) that receive and handle PAKN."""
