"""Petitions (phản ánh, kiến nghị): records, their catalogues, and the operations that change them."""
