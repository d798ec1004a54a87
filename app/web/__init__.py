"""Web layer: one blueprint per audience (the portal, tasklist, audit and admin pages come in the web issue)."""


def register_blueprints(app):
    from .home import bp as home  # noqa: PLC0415

    app.register_blueprint(home)
