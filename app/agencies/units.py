"""The administrative units in force since 1 July 2025 — 34 provinces and their communes, wards and special
zones, no districts — loaded from the `vietnam-provinces` package into `province` and `commune`."""

from collections.abc import Callable
from importlib.metadata import version

from sqlalchemy import insert, select, update

from .models import Commune, Province, UnitCatalogue

SOURCE = "vietnam-provinces"
LOADER_REVISION = 1  # raise when what the loader stores changes: every database then loads again at its next start


def catalogue_version() -> str:
    """The package release (its data) and the loader's revision, as stored in `unit_catalogue`."""
    return f"{version(SOURCE)} r{LOADER_REVISION}"


def province_code(codename: str) -> str:
    """Our readable code from the package's codename: ha_noi → ha-noi, quang_ngai → quang-ngai."""
    return codename.replace("_", "-")


def load_administrative_units(session, policy_of: Callable[[str], str]) -> bool:
    """Insert or update every province and commune from the package; True when it did, False when the database
    already holds this release (one row read: the cost of every later start).

    `policy_of(code)` names a province's deadline policy (the calendar files'). Nothing is deleted: a unit that no
    longer exists (Kon Tum in an older database) keeps its row, its agencies and its cases.
    """
    current = catalogue_version()
    stored = session.get(UnitCatalogue, SOURCE)
    if stored is not None and stored.version == current:
        return False
    from vietnam_provinces import Province as PackageProvince  # noqa: PLC0415  (60 ms, only when loading)
    from vietnam_provinces import Ward  # noqa: PLC0415

    codes = _load_provinces(session, PackageProvince.iter_all(), policy_of)
    _load_communes(session, Ward.iter_all(), codes)
    if stored is None:
        session.add(UnitCatalogue(source=SOURCE, version=current))
    else:
        stored.version = current
    session.flush()
    return True


def _load_provinces(session, units, policy_of) -> dict[int, str]:
    """Upsert the provinces; returns our code by official code."""
    existing = {p.code: p for p in session.scalars(select(Province))}
    codes = {}
    for unit in units:
        code = province_code(unit.codename)
        row = existing.get(code)
        if row is None:
            row = Province(code=code, policy=policy_of(code))
            session.add(row)
        row.name, row.official_code, row.kind = unit.name, int(unit.code), unit.division_type.value
        codes[int(unit.code)] = code
    session.flush()  # communes refer to them
    return codes


def _load_communes(session, wards, codes: dict[int, str]):
    columns = select(Commune.code, Commune.name, Commune.kind, Commune.province_code)
    existing = {code: (name, kind, province) for code, name, kind, province in session.execute(columns)}
    added, changed = [], []
    for ward in wards:
        row = {
            "code": int(ward.code),
            "name": ward.name,
            "kind": ward.division_type.value,
            "province_code": codes[int(ward.province_code)],
        }
        if row["code"] not in existing:
            added.append(row)
        elif existing[row["code"]] != (row["name"], row["kind"], row["province_code"]):
            changed.append(row)
    if added:
        session.execute(insert(Commune), added)
    if changed:
        session.execute(update(Commune), changed)


def align_policies(session, policy_of: Callable[[str], str], has_file: Callable[[str], bool]):
    """Keep `province.policy` saying what a province's calendar file decides (a file added or changed since the
    last start); a province without a file keeps the policy stored for it (the national one, or the one an
    administrator chose when enabling it)."""
    for province in session.scalars(select(Province)):
        if has_file(province.code) and province.policy != policy_of(province.code):
            province.policy = policy_of(province.code)
