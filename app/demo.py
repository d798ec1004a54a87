"""Demo data for the embedded default: three provinces under three deadline policies, agencies, accounts.

Every demo account's password is `demo123` (listed in the README).
"""

from sqlalchemy import select

from app.accounts.models import User
from app.agencies.models import Agency, Province

DEMO_PASSWORD = "demo123"

PROVINCES = [
    ("kon-tum", "Kon Tum", "qd31-2021", "KT"),
    ("lai-chau", "Lai Châu", "qd574-2017", "LC"),
    ("bac-ninh", "Bắc Ninh", "bac-ninh-17-2024", "BN"),
]

# (suffix, name, level, is_intake_office); commune agencies have the province office as parent.
AGENCIES = [
    ("VPUB", "Văn phòng UBND tỉnh {p}", "province", True),
    ("SXD", "Sở Xây dựng tỉnh {p}", "province", False),
    ("SNNMT", "Sở Nông nghiệp và Môi trường tỉnh {p}", "province", False),
    ("SYT", "Sở Y tế tỉnh {p}", "province", False),
    ("XA1", "UBND xã Trung Tâm (tỉnh {p})", "commune", False),
]

# (username, full name, role, agency suffix or None, province)
ACCOUNTS = [
    ("citizen", "Nguyễn Văn An", "citizen", None, "kon-tum"),
    ("intake", "Trần Thị Bình", "intake", "VPUB", "kon-tum"),
    ("handler", "Lê Văn Cường", "handler", "SXD", "kon-tum"),
    ("handler-b", "Trịnh Văn Bảo", "handler", "SXD", "kon-tum"),
    ("leader", "Phạm Thị Dung", "leader", "SXD", "kon-tum"),
    ("handler2", "Hoàng Văn Em", "handler", "SNNMT", "kon-tum"),
    ("leader2", "Đỗ Thị Giang", "leader", "SNNMT", "kon-tum"),
    ("vp-handler", "Vũ Văn Hải", "handler", "VPUB", "kon-tum"),
    ("vp-leader", "Bùi Thị Hoa", "leader", "VPUB", "kon-tum"),
    ("xa-handler", "Đinh Văn Khoa", "handler", "XA1", "kon-tum"),
    ("admin", "Quản trị hệ thống", "admin", None, "kon-tum"),
    ("auditor", "Thanh tra viên", "auditor", None, "kon-tum"),
    ("intake-lc", "Lò Thị Lan", "intake", "VPUB", "lai-chau"),
    ("handler-lc", "Giàng A Minh", "handler", "SXD", "lai-chau"),
    ("leader-lc", "Tẩn Thị Nga", "leader", "SXD", "lai-chau"),
    ("intake-bn", "Nguyễn Thị Oanh", "intake", "VPUB", "bac-ninh"),
    ("handler-bn", "Ngô Văn Phúc", "handler", "SXD", "bac-ninh"),
    ("leader-bn", "Lý Thị Quỳnh", "leader", "SXD", "bac-ninh"),
]


def agency_code(prefix: str, suffix: str) -> str:
    return f"{prefix}-{suffix}"


def seed_demo(session):
    """Create the demo provinces, agencies and accounts once (skipped when the demo citizen exists)."""
    if session.scalar(select(User.id).where(User.username == "citizen")) is not None:
        return
    prefixes = {}
    for code, name, policy, prefix in PROVINCES:
        prefixes[code] = prefix
        session.merge(Province(code=code, name=name, policy=policy))
        office = None
        for suffix, agency_name, level, is_intake in AGENCIES:
            agency = Agency(
                code=agency_code(prefix, suffix),
                name=agency_name.format(p=name),
                level=level,
                province_code=code,
                is_intake_office=is_intake,
                parent=office if level == "commune" else None,
            )
            session.add(agency)
            office = office or agency
    session.flush()
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    for username, full_name, role, suffix, province in ACCOUNTS:
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            email=f"{username}@demo.pakn.vn",
            phone="0912345678",
            agency=agencies[agency_code(prefixes[province], suffix)] if suffix else None,
        )
        user.set_password(DEMO_PASSWORD)
        session.add(user)
