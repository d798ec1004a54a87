"""Error pages in the product's layout, Vietnamese first (English through the catalogue), each saying what to do
next; a database busy with another writer answers 503 with a retry time within seconds, not a 500 after 30 s."""

from datetime import UTC, datetime

from flask import current_app, g, has_request_context, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import Conflict as WerkzeugConflict
from werkzeug.exceptions import Forbidden, HTTPException, ServiceUnavailable
from werkzeug.exceptions import NotFound as WerkzeugNotFound

from app.attachments.files import MAX_BYTES, MAX_FILES
from app.db import is_lock_timeout, set_lock_wait
from app.errors import Conflict, NotFound, PermissionDenied
from app.translation import lazy_gettext

from .i18n import label
from .redirects import local_target

WEB_LOCK_WAIT = 5.0  # seconds a page waits for another writer before answering 503 (commands wait longer)
RETRY_SECONDS = 5  # the Retry-After of a busy database

# Endpoints whose 404 means something more precise than "no such page".
CASE_ENDPOINTS = {"portal.case", "portal.rate", "portal.reply"}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _retry_seconds(error: HTTPException, default: int) -> int:
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, datetime):
        return max(1, int((retry_after - datetime.now(UTC)).total_seconds()))
    return int(retry_after) if retry_after else default


# Pages that say the same whatever the request: (title, what to do next), Vietnamese msgids.
PAGE_TEXTS = {
    400: (
        lazy_gettext("Yêu cầu không hợp lệ"),
        lazy_gettext("Trang nhận được dữ liệu không đúng dạng. Hãy quay lại trang trước, tải lại trang rồi thử lại."),
    ),
    403: (
        lazy_gettext("Không có quyền truy cập"),
        lazy_gettext(
            "Tài khoản này không được dùng trang hoặc thao tác này. "
            "Hãy đăng nhập bằng tài khoản có quyền, hoặc liên hệ quản trị viên nếu cần được cấp quyền."
        ),
    ),
    404: (
        lazy_gettext("Không tìm thấy trang"),
        lazy_gettext(
            "Địa chỉ không đúng hoặc nội dung không còn. Hãy kiểm tra lại địa chỉ, hoặc bắt đầu lại từ trang chủ."
        ),
    ),
    405: (
        lazy_gettext("Không thực hiện được thao tác"),
        lazy_gettext("Trang này không nhận cách gửi vừa dùng. Hãy mở lại trang từ trình đơn rồi làm lại."),
    ),
    409: (
        lazy_gettext("Dữ liệu vừa thay đổi"),
        lazy_gettext(
            "Người khác vừa thao tác trên cùng dữ liệu nên yêu cầu chưa được thực hiện. "
            "Hãy tải lại trang để xem tình trạng mới nhất rồi thử lại."
        ),
    ),
    500: (
        lazy_gettext("Đã có lỗi xảy ra"),
        lazy_gettext(
            "Hệ thống gặp lỗi ngoài dự kiến và chưa thực hiện được yêu cầu. Hãy thử lại sau ít phút; "
            "nếu vẫn lỗi, hãy báo quản trị viên kèm thời điểm xảy ra."
        ),
    ),
}


def _texts(error: HTTPException) -> tuple[str, str]:
    """Title and message of the page, in the current language."""
    code = error.code
    if isinstance(error, CSRFError):
        return _("Biểu mẫu đã hết hạn"), _(
            "Biểu mẫu không còn hợp lệ (trang để mở quá lâu hoặc ông/bà đã đăng xuất). "
            "Hãy tải lại trang, nhập lại rồi gửi."
        )
    if code == 404 and request.endpoint in CASE_ENDPOINTS:
        return _("Không tìm thấy mã tra cứu"), _(
            "Không có phản ánh, kiến nghị nào mang mã này. "
            "Hãy kiểm tra lại mã (12 ký tự, ví dụ 7QX4-M9PA-K2TD) rồi tra cứu lại."
        )
    if code in PAGE_TEXTS:
        title, message = PAGE_TEXTS[code]
        return str(title), str(message)
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if code == 413 and request.content_length is not None and limit and request.content_length <= limit:
        # the body was within the limit: one typed field, or the number of fields, was over its own
        return _("Dữ liệu gửi lên quá lớn"), _(
            "Một ô của biểu mẫu dài quá %(size)s, hoặc biểu mẫu có quá nhiều ô. Hãy rút ngắn nội dung đã dán "
            "rồi gửi lại.",
            size=_megabytes(current_app.config["MAX_FORM_MEMORY_SIZE"]),
        )
    if code == 413:
        total = limit
        message = _(
            "Mỗi tệp tối đa %(size)s, không quá %(count)s tệp. Hãy bớt tệp hoặc giảm dung lượng "
            "(ví dụ quay video ngắn hơn) rồi gửi lại.",
            size=_megabytes(MAX_BYTES),
            count=MAX_FILES,
        )
        if total:
            message = _("Cả biểu mẫu gửi một lần tối đa %(total)s.", total=_megabytes(total)) + " " + message
        return _("Dữ liệu gửi lên quá lớn"), message
    if code == 429:
        seconds = _retry_seconds(error, 60)
        if seconds >= 120:
            wait = _("Vui lòng thử lại sau %(minutes)s phút.", minutes=(seconds + 59) // 60)
        else:
            wait = _("Vui lòng thử lại sau %(seconds)s giây.", seconds=seconds)
        return _("Quá nhiều yêu cầu"), _("Có quá nhiều yêu cầu trong thời gian ngắn.") + " " + wait
    if code == 503:
        return _("Hệ thống đang bận"), _(
            "Yêu cầu chưa được thực hiện, không có gì được lưu dở. Vui lòng thử lại sau %(seconds)s giây.",
            seconds=_retry_seconds(error, RETRY_SECONDS),
        )
    return _("Không thực hiện được yêu cầu"), _("Hãy quay lại trang trước hoặc bắt đầu lại từ trang chủ.")


def _specific(error: HTTPException) -> str | None:
    """A message the page gave with abort(code, description=...) (a Vietnamese msgid), else None."""
    description = error.description
    if isinstance(error, CSRFError) or not description or description == type(error).description:
        return None
    return label(description)


def _links(code: int) -> list[tuple[str, str]]:
    """What to do next: (address, text)."""
    links = []
    if code == 404 and request.endpoint in CASE_ENDPOINTS:
        links.append((url_for("portal.lookup"), _("Tra cứu mã khác")))
    if code == 403 and not current_user.is_authenticated:
        links.append((url_for("auth.login", next=local_target(request.full_path, "/")), _("Đăng nhập")))
    if code in (409, 429, 500, 503) and request.method == "GET":
        links.append((local_target(request.full_path, url_for("home.index")), _("Thử lại")))
    links.append((url_for("home.index"), _("Về trang chủ")))
    return links


def _error_page(error: HTTPException):
    """The page of an HTTP error (a 500 wraps any unexpected exception), with the error's own headers."""
    if error.code is None or error.code < 400:
        return error
    session = g.get("db")
    if session is not None:
        session.rollback()  # the failed transaction is over; the layout may read the signed-in user again
    title, message = _texts(error)
    context = {"code": error.code, "title": title, "message": message, "detail": _specific(error)}
    try:
        body = render_template("errors/error.html", links=_links(error.code), **context)
    except Exception:  # the layout (or the signed-in user it shows) failed, e.g. the database is down
        current_app.logger.exception("error page %s drawn without the layout", error.code)
        body = current_app.jinja_env.get_template("errors/bare.html").render(**context)  # no context processors
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return body, error.code, headers


def _database_error(error: OperationalError):
    """Another transaction held the lock too long: 503 with Retry-After; any other database failure is a 500."""
    if not is_lock_timeout(error):
        raise error
    current_app.logger.warning("database busy, answered 503: %s %s (%s)", request.method, request.path, error.orig)
    return _error_page(ServiceUnavailable(retry_after=RETRY_SECONDS))


def _wait_briefly_for_locks(sessions):
    """A web request's transactions wait WEB_LOCK_WAIT for a lock; the scheduler and commands keep make_engine's."""

    @event.listens_for(sessions, "after_begin")
    def _lower_lock_wait(_session, _transaction, connection):
        if has_request_context():
            set_lock_wait(connection, WEB_LOCK_WAIT)


def _refused(_error: PermissionDenied):
    """An operation refused the actor (it has audited the refusal already): the 403 page."""
    return _error_page(Forbidden())


def _not_found(_error: NotFound):
    return _error_page(WerkzeugNotFound())


def _conflict(_error: Conflict):
    """Someone else acted first and the page has nothing more precise to say: the 409 page."""
    return _error_page(WerkzeugConflict())


def _saved_at_once(error: IntegrityError):
    """Two requests saved the same thing at once (a double click, two administrators): the database's unique rule
    refused the second, whose transaction is rolled back whole. The 409 page, and the log says which rule."""
    current_app.logger.warning("refused by a database rule, answered 409: %s %s (%s)", request.method, request.path,
                               error.orig)  # fmt: skip
    return _error_page(WerkzeugConflict())


def init_errors(app):
    """Error pages for every HTTP error, for the domain's refusals (403, 404, 409) and for a busy database.

    Pages catch only what they answer in their own way (a form's FormInvalid, a claim's Conflict)."""
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(PermissionDenied, _refused)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(Conflict, _conflict)
    app.register_error_handler(OperationalError, _database_error)
    app.register_error_handler(IntegrityError, _saved_at_once)
    _wait_briefly_for_locks(app.extensions["pakn"]["sessions"])
