"""Tracking codes: unguessable (60 random bits), yet short enough to read over the phone."""

import secrets

# Crockford-style alphabet: no I, L, O, U, so nothing is misheard or misread as 1 or 0.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code() -> str:
    """Twelve characters in three groups, e.g. 7QX4-M9PA-K2TD."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{chars[0:4]}-{chars[4:8]}-{chars[8:12]}"


def normalize(code: str) -> str:
    """What a person typed or said, as stored: upper case, O→0, I/L→1, dashes regrouped."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum()).replace("O", "0").replace("I", "1").replace("L", "1")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_sender_key() -> str:
    """The secret of a sender's link: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)
