"""Staff start a process by hand: the processes they may start, then its start form; a valid form starts an
instance and leads to its first task for them (or back to the list, saying it started)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import FormInvalid
from app.process_starts.operations import start_process
from app.process_starts.policy import may_start
from app.process_starts.queries import start_context, start_form, startable, startable_processes
from app.translation import lazy_gettext

from .. import db
from ..access import refuse, roles_required
from ..extensions import get_locale
from ..i18n import label
from ..tasklist.labels import field_errors

bp = Blueprint("starts", __name__, url_prefix="/bat-dau")
STARTERS = ("intake", "handler", "leader", "admin")  # a process's own starters are checked in the domain
MENU = [("starts.index", lazy_gettext("Bắt đầu quy trình"), STARTERS, 27)]


@bp.get("/")
@roles_required(*STARTERS)
def index():
    return render_template("starts/index.html", processes=startable_processes(db(), current_user))


@bp.route("/<process_key>", methods=["GET", "POST"])
@roles_required(*STARTERS)
def start(process_key):
    session = db()
    found = startable(session, process_key)
    if request.method == "GET" and not may_start(current_user, found.start):
        refuse("process.start", "not a candidate starter of this process", process=found.key)
    form, errors, status = start_form(session, found), {}, 200
    if request.method == "POST":
        try:
            started = start_process(session, current_user, found.key, request.form)
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        else:
            if started.first_task is not None:
                return redirect(url_for("tasks.task", item_id=started.first_task.id))
            flash(_("Đã bắt đầu quy trình «%(process)s» (số %(id)s).", process=label(started.process),
                    id=started.instance_id), "ok")  # fmt: skip
            return redirect(url_for("starts.index"))
    context = start_context(session, current_user, found)
    if errors:
        form_html = form.render(context, request.form, errors, get_locale())
    else:
        form_html = form.render(context, lang=get_locale())
    return render_template("starts/form.html", found=found, form=form, form_html=form_html, errors=errors), status
