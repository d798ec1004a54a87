"""The clerk's entry form for PAKN received by letter, phone, fax or e-mail."""

from app.agencies.queries import communes_of, receiving_provinces
from app.petitions.catalog import CHANNELS, KINDS
from app.petitions.operations import CLERK_CHANNELS
from app.petitions.queries import active_fields
from app.petitions.validation import LABELS, LIMITS

from .labels import translated_options

FIELDS = tuple(LABELS)  # kind, field_code, channel, title, content, location, sender_*, province_code, commune_code
CHOOSE_PROVINCE = "chon_tinh"  # the button that shows the chosen province's communes (pages without JavaScript)
OPTIONAL = {"location"}


def initial_values(user) -> dict:
    """A fresh form: by letter, in the clerk's province."""
    province = user.agency.province_code if user.agency is not None else ""
    return {key: "" for key in FIELDS} | {"channel": "letter", "province_code": province or ""}


def submitted_values(form) -> dict:
    return {key: form.get(key, "") for key in FIELDS}


def choices(session, values: dict) -> dict:
    """The form's lists; the communes are those of the chosen province."""
    return {
        "kinds": [(code, str(name)) for code, name in KINDS.items()],
        "channels": [(code, str(name)) for code, name in CHANNELS.items() if code in CLERK_CHANNELS],
        "fields": translated_options(active_fields(session)),
        "provinces": receiving_provinces(session),
        "communes": [(str(code), name) for code, name in communes_of(session, values.get("province_code"))],
    }


def limits(key: str) -> dict:
    """minlength / maxlength attributes of a text field, from the validation rules."""
    if key not in LIMITS:
        return {}
    low, high = LIMITS[key]
    return {"minlength": low or None, "maxlength": high}
