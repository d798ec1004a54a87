"""Demo data for the embedded default: agencies and accounts in three provinces under three deadline policies.

The provinces and their communes are the real ones (app/agencies/units.py): Quảng Ngãi (which took in Kon Tum on
1 July 2025) under Decision 31/2021, Lai Châu under 574/QĐ-TTg, Bắc Ninh under its Decision 17/2024.
Every demo account's password is `demo123` (listed in the README).
"""

from sqlalchemy import select

from app.accounts.models import User
from app.agencies.models import Agency, Commune, Province

DEMO_PASSWORD = "demo123"

# (province code, agency code prefix, the commune or ward whose people's committee is a demo agency, its suffix)
PROVINCES = [
    ("quang-ngai", "QNG", 23293, "KONTUM"),  # Phường Kon Tum, the former provincial capital
    ("lai-chau", "LC", 3408, "TANPHONG"),  # Phường Tân Phong
    ("bac-ninh", "BN", 9187, "KINHBAC"),  # Phường Kinh Bắc
]

# (suffix, name, is_intake_office) of the provincial agencies; "{p}" is the province's name.
AGENCIES = [
    ("VPUB", "Văn phòng UBND tỉnh {p}", True),
    ("SXD", "Sở Xây dựng tỉnh {p}", False),
    ("SNNMT", "Sở Nông nghiệp và Môi trường tỉnh {p}", False),
    ("SYT", "Sở Y tế tỉnh {p}", False),
]
COMMUNE = "XA"  # in ACCOUNTS: the province's commune-level agency

# (username, full name, role, agency suffix or None, province)
ACCOUNTS = [
    ("citizen", "Nguyễn Văn An", "citizen", None, "quang-ngai"),
    ("intake", "Trần Thị Bình", "intake", "VPUB", "quang-ngai"),
    ("handler", "Lê Văn Cường", "handler", "SXD", "quang-ngai"),
    ("handler-b", "Trịnh Văn Bảo", "handler", "SXD", "quang-ngai"),
    ("leader", "Phạm Thị Dung", "leader", "SXD", "quang-ngai"),
    ("handler2", "Hoàng Văn Em", "handler", "SNNMT", "quang-ngai"),
    ("leader2", "Đỗ Thị Giang", "leader", "SNNMT", "quang-ngai"),
    ("vp-handler", "Vũ Văn Hải", "handler", "VPUB", "quang-ngai"),
    ("vp-leader", "Bùi Thị Hoa", "leader", "VPUB", "quang-ngai"),
    ("xa-handler", "Đinh Văn Khoa", "handler", COMMUNE, "quang-ngai"),
    ("chair", "Nguyễn Hoàng Sơn", "chair", "VPUB", "quang-ngai"),
    ("admin", "Quản trị hệ thống", "admin", None, "quang-ngai"),
    ("auditor", "Thanh tra viên", "auditor", None, "quang-ngai"),
    ("intake-lc", "Lò Thị Lan", "intake", "VPUB", "lai-chau"),
    ("handler-lc", "Giàng A Minh", "handler", "SXD", "lai-chau"),
    ("leader-lc", "Tẩn Thị Nga", "leader", "SXD", "lai-chau"),
    ("chair-lc", "Lê Văn Thành", "chair", "VPUB", "lai-chau"),
    ("intake-bn", "Nguyễn Thị Oanh", "intake", "VPUB", "bac-ninh"),
    ("handler-bn", "Ngô Văn Phúc", "handler", "SXD", "bac-ninh"),
    ("leader-bn", "Lý Thị Quỳnh", "leader", "SXD", "bac-ninh"),
    ("chair-bn", "Vương Quốc Tuấn", "chair", "VPUB", "bac-ninh"),
]


def committee_name(commune: Commune) -> str:
    """UBND phường Kon Tum: the people's committee of a commune, ward or special zone."""
    return f"UBND {commune.name[0].lower()}{commune.name[1:]}"


def seed_demo(session):
    """Create the demo agencies and accounts once (skipped when the demo citizen exists, but for accounts added
    to the demo since: the chairs)."""
    if session.scalar(select(User.id).where(User.username == "citizen")) is not None:
        _add_missing_accounts(session)
        return
    agencies = {}
    for code, prefix, commune_code, commune_suffix in PROVINCES:
        province = session.get(Province, code)
        # the demo's own numbers, plainly not real ones: an administrator enters the province's on its page
        province.hotlines = f"Đường dây nóng UBND {province.name} (số mẫu của bản demo) | 0200 000 000"
        office = None
        for suffix, name, is_intake in AGENCIES:
            agency = Agency(
                code=f"{prefix}-{suffix}",
                name=name.format(p=province.name),
                level="province",
                province_code=code,
                is_intake_office=is_intake,
            )
            agencies[code, suffix] = agency
            office = office or agency
        commune = session.get(Commune, commune_code)
        agencies[code, COMMUNE] = Agency(
            code=f"{prefix}-{commune_suffix}",
            name=committee_name(commune),
            level="commune",
            province_code=code,
            parent=office,
        )
    session.add_all(agencies.values())
    for username, full_name, role, suffix, province in ACCOUNTS:
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            email=f"{username}@demo.pakn.vn",
            phone="0912345678",
            agency=agencies[province, suffix] if suffix else None,
        )
        user.set_password(DEMO_PASSWORD)
        session.add(user)


def _add_missing_accounts(session):
    """Demo accounts a database seeded by an earlier release lacks, in agencies it has."""
    known = set(session.scalars(select(User.username)))
    prefixes = {province: prefix for province, prefix, _, _ in PROVINCES}
    for username, full_name, role, suffix, province in ACCOUNTS:
        if username in known or suffix is None or suffix == COMMUNE:
            continue
        agency = session.scalar(select(Agency).where(Agency.code == f"{prefixes[province]}-{suffix}"))
        if agency is None:
            continue
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            email=f"{username}@demo.pakn.vn",
            phone="0912345678",
            agency=agency,
        )
        user.set_password(DEMO_PASSWORD)
        session.add(user)
