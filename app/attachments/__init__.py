"""Files attached to petitions and answers: type checked by content, size limited, stored outside the database."""
