"""Control characters (NUL …) in any parameter are refused before a page reads them.

Pages whose domain function checks every field itself (and answers with the message beside the field, the input
kept) are marked with `checks_text_itself`; every other page gets a 400 naming the parameter.
"""

from flask import abort, current_app, request
from flask_babel import gettext as _

from app.text_rules import has_control


def checks_text_itself(view):
    """Mark a view whose operation refuses control characters field by field."""
    view.checks_text_itself = True
    return view


def refuse_control_characters():
    """before_request: the first parameter holding a control character ends the request with a 400."""
    view = current_app.view_functions.get(request.endpoint)
    sources = [request.args] if getattr(view, "checks_text_itself", False) else [request.args, request.form]
    for source in sources:
        for key, values in source.lists():
            if has_control(key) or any(has_control(value) for value in values):
                abort(400, description=_("«%(field)s» chứa ký tự điều khiển không hợp lệ (ví dụ NUL).", field=key))
