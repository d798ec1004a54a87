"""Provinces and agencies."""

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base

AGENCY_LEVELS = {
    "central": "Trung ương",
    "province": "Cấp tỉnh",
    "commune": "Cấp xã",
}


class Province(Base):
    """A province (tỉnh, thành phố); its deadline policy is named in calendars/."""

    __tablename__ = "province"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    policy: Mapped[str] = mapped_column(String(50))


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
