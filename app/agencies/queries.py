"""What forms and pages read about administrative units: provinces taking petitions, a province's communes."""

import unicodedata

from sqlalchemy import exists, select

from .hotlines import parse_hotlines
from .models import Agency, Commune, Province


def name_order(name: str) -> str:
    """Vietnamese alphabetical order: Đăk Cấm among the D's, not after Xốp."""
    folded = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def receiving_condition():
    """A province takes petitions when it exists today (an official code) and has its intake office."""
    office = exists().where(Agency.province_code == Province.code, Agency.is_intake_office.is_(True))
    return Province.official_code.is_not(None) & office


def receiving_provinces(session) -> list[tuple[str, str]]:
    """(code, name) of the provinces a petition can be sent to, by name."""
    rows = session.execute(select(Province.code, Province.name).where(receiving_condition())).all()
    return sorted(((code, name) for code, name in rows), key=lambda row: name_order(row[1]))


def is_receiving(session, province_code: str) -> bool:
    query = select(Province.code).where(Province.code == province_code, receiving_condition())
    return session.scalar(query) is not None


def communes_of(session, province_code: str | None) -> list[tuple[int, str]]:
    """(code, name) of a province's communes, wards and special zones, by name; none without a province."""
    if not province_code:
        return []
    rows = session.execute(select(Commune.code, Commune.name).where(Commune.province_code == province_code)).all()
    return sorted(((code, name) for code, name in rows), key=lambda row: name_order(row[1]))


def hotlines_of_receiving_provinces(session) -> list[tuple[str, str, list]]:
    """(code, name, hotlines) of the provinces taking petitions that have given their own numbers, by name."""
    rows = session.execute(
        select(Province.code, Province.name, Province.hotlines).where(
            receiving_condition(), Province.hotlines.is_not(None)
        )
    ).all()
    found = [(code, name, parse_hotlines(text)[0]) for code, name, text in rows]
    return sorted((row for row in found if row[2]), key=lambda row: name_order(row[1]))
