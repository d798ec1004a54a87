"""Users: one role each, agency membership for staff, hashed passwords."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.agencies.models import Agency
from app.db import Base, UTCDateTime, utcnow
from app.translation import lazy_pgettext

# The context keeps a role ("Administrator") apart from the area of the same Vietnamese word ("Administration").
ROLES = {
    "citizen": lazy_pgettext("role", "Người dân, doanh nghiệp"),
    "intake": lazy_pgettext("role", "Cán bộ đầu mối tiếp nhận"),
    "handler": lazy_pgettext("role", "Cán bộ xử lý"),
    "leader": lazy_pgettext("role", "Lãnh đạo cơ quan"),
    "chair": lazy_pgettext("role", "Chủ tịch UBND tỉnh / Văn phòng Chính phủ"),
    "admin": lazy_pgettext("role", "Quản trị"),
    "auditor": lazy_pgettext("role", "Thanh tra, kiểm tra"),
}
STAFF_ROLES = {"intake", "handler", "leader", "chair"}


class User(Base):
    """A person who logs in. Staff belong to an agency; citizens do not."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A citizen's own sign-up: inactive until the link mailed to his address is opened (app/accounts/signup.py).
    awaiting_verification: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship(lazy="joined")

    def set_password(self, password: str):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # What Flask-Login asks of a user (kept here without importing Flask into the model).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    def get_id(self) -> str:
        return str(self.id)

    @property
    def agency_code(self) -> str | None:
        return self.agency.code if self.agency else None


class LoginFailure(Base):
    """A failed login, kept to slow down password guessing (by account and by address)."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class LoginSession(Base):
    """A signed-in browser: the cookie carries a random token, the row says whether it still counts.

    Ended at logout (that browser only) and when an administrator resets the password or deactivates the
    account (every browser of the user), so a copied cookie dies with them.
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256: a database dump logs nobody in
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(30))


class AccountToken(Base):
    """A single-use secret mailed to the account's owner (verify his address, reset his password).

    Only its SHA-256 is kept: a database dump opens no account. Used once, then `used_at` is set.
    """

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "verify" or "reset"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountRequest(Base):
    """A mail asked for without a login (sign-up, new verification link, password reset): kept to throttle them
    per address and per e-mail, whether or not an account has that e-mail."""

    __tablename__ = "account_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(200), index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class CaseSeen(Base):
    """When a citizen last opened his case's page: the steps after it are his unread updates."""

    __tablename__ = "case_seen"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
