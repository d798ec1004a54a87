"""Web layer: one blueprint per audience; a database session per request; login, CSRF and languages."""

from flask import current_app, g


def db():
    """This request's database session (opened on first use, closed at the end of the request)."""
    if "db" not in g:
        g.db = current_app.extensions["pakn"]["sessions"]()
    return g.db


def register_blueprints(app):
    from .access import auditors_change_nothing, forget_origin, note_origin  # noqa: PLC0415
    from .extensions import init_extensions  # noqa: PLC0415
    from .hardening import init_hardening  # noqa: PLC0415
    from .pages import page_modules  # noqa: PLC0415

    app.before_request(note_origin)  # first: a refusal in any later hook or page knows where the request came from
    app.teardown_request(forget_origin)
    init_extensions(app)
    init_hardening(app)
    app.before_request(auditors_change_nothing)

    @app.teardown_appcontext
    def _close_session(_exc):
        session = g.pop("db", None)
        if session is not None:
            session.close()

    menu = []
    for module in page_modules():
        app.register_blueprint(module.bp)
        menu.extend(getattr(module, "MENU", []))
    app.extensions["pakn_menu"] = sorted(menu, key=lambda entry: entry[3] if len(entry) > 3 else 50)
