"""The e-mails of an account (verify the address, reset the password), in the owner's language, queued in the
outbox (petition-less `notification` rows) that app/messaging/delivery.py sends."""

from app.messaging.templates import base_url
from app.petitions.models import Notification
from app.translation import lazy_gettext, translate

ACCOUNT_MESSAGES = {
    "account_verify": (
        lazy_gettext("PAKN: xác nhận địa chỉ thư điện tử"),
        lazy_gettext(
            "Chào %(name)s,\n\nĐể kích hoạt tài khoản trên cổng phản ánh, kiến nghị, hãy mở liên kết sau (dùng được "
            "một lần, trong 48 giờ):\n%(link)s\n\nNếu ông/bà không đăng ký, hãy bỏ qua thư này."
        ),
    ),
    "account_exists": (
        lazy_gettext("PAKN: địa chỉ này đã có tài khoản"),
        lazy_gettext(
            "Chào %(name)s,\n\nCó người vừa đăng ký tài khoản bằng địa chỉ thư điện tử này, nhưng địa chỉ đã có tài "
            "khoản. Nếu là ông/bà, hãy đăng nhập, hoặc đặt lại mật khẩu tại:\n%(link)s\n\nNếu không, hãy bỏ qua thư "
            "này: tài khoản của ông/bà không thay đổi."
        ),
    ),
    "password_reset": (
        lazy_gettext("PAKN: đặt lại mật khẩu"),
        lazy_gettext(
            "Chào %(name)s,\n\nĐể đặt mật khẩu mới cho tài khoản «%(username)s», hãy mở liên kết sau (dùng được một "
            "lần, trong 1 giờ):\n%(link)s\n\nNếu ông/bà không yêu cầu, hãy bỏ qua thư này: mật khẩu không thay đổi."
        ),
    ),
}
SECRET_LINK_KINDS = {"account_verify", "password_reset"}
SENT_SECRET_BODY = "(link removed once sent)"  # what the outbox keeps of a sent message that opens an account
PATHS = {"account_verify": "/tai-khoan/xac-nhan/", "password_reset": "/dat-lai-mat-khau/"}


def queue_account_mail(session, user, kind: str, lang: str, token: str | None = None) -> Notification:
    """One e-mail of `kind` to `user`'s address (in the caller's transaction); the link carries `token`."""
    link = f"{base_url()}{PATHS[kind]}{token}" if token else f"{base_url()}/quen-mat-khau"
    subject, body = ACCOUNT_MESSAGES[kind]
    values = {"name": user.full_name, "username": user.username, "link": link}
    message = Notification(
        petition_id=None,
        kind=kind,
        channel="email",
        recipient=user.email,
        subject=translate(subject, lang),
        body=translate(body, lang) % values,
    )
    session.add(message)
    return message
