"""Provinces, their communes and wards (administrative units from 1 July 2025), and agencies."""

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.translation import lazy_gettext

AGENCY_LEVELS = {
    "central": lazy_gettext("Trung ương"),
    "province": lazy_gettext("Cấp tỉnh"),
    "commune": lazy_gettext("Cấp xã"),
}


class Province(Base):
    """A province (tỉnh, thành phố); its deadline policy is named in calendars/ (qd31-2021 without a file).

    `official_code` and `kind` come from the `vietnam-provinces` package (app/agencies/units.py). A province of an
    older database that no longer exists (Kon Tum, merged into Quảng Ngãi) keeps its row and cases, with neither.
    """

    __tablename__ = "province"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    policy: Mapped[str] = mapped_column(String(50))
    official_code: Mapped[int | None] = mapped_column(Integer, unique=True, index=True)
    kind: Mapped[str | None] = mapped_column(String(30))  # tỉnh, thành phố trung ương
    # The province's own emergency and information numbers, one "label | number" per line (administered).
    hotlines: Mapped[str | None] = mapped_column(Text)


class Commune(Base):
    """A commune, ward or special zone (xã, phường, đặc khu) of a province, by its official code."""

    __tablename__ = "commune"

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # xã, phường, đặc khu
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), index=True)

    province: Mapped[Province] = relationship()


class UnitCatalogue(Base):
    """Which release of a source of administrative units the database holds (the loader's cheap check)."""

    __tablename__ = "unit_catalogue"

    source: Mapped[str] = mapped_column(String(50), primary_key=True)
    version: Mapped[str] = mapped_column(String(50))


class Agency(Base):
    """An agency (sở, ban, ngành, UBND xã …); `is_intake_office` marks a province's focal intake office."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"), index=True)
    is_intake_office: Mapped[bool] = mapped_column(Boolean, default=False)

    parent: Mapped["Agency | None"] = relationship(remote_side=[id])
    province: Mapped[Province | None] = relationship()
