"""The production entry point: `gunicorn 'app.wsgi:app'` (see README, Production).

Each worker builds the app, then checks that the database is at this release's revision and that the calendar
files load, so a worker never serves on a stale schema or a broken calendar (run `python run.py init` first).
"""

from app import create_app
from app.calendars.store import current_book
from app.process_memory import settle_start_up
from app.schema import require_current_schema

app = create_app()
require_current_schema(app.extensions["pakn"]["engine"])
with app.extensions["pakn"]["sessions"]() as _session:
    current_book(_session)  # a wrong calendar file stops the worker here, named with its line
settle_start_up()
