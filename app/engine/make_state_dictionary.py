"""Write a new preset dictionary for instance states from the states of the models in processes/.

    .venv/bin/python -m app.engine.make_state_dictionary

Plays the demo cases (app/demo_cases.toml: every path of the models, from a new case to a published one) on a
throw-away SQLite database, takes each instance's state, blanks what differs from case to case (task ids, times,
people's text) and keeps each distinct piece of JSON (a task, a subprocess's or the workflow's own fields) once,
the most used last (zlib reaches the end of a dictionary most cheaply). The result is written as the next
`state_dictionaries/<n>.zdict`, which app/engine/serialization.py then writes new states with.

Never edit or delete a dictionary file once released: every state written with it names it by its number and
needs it to be read. Write a new one when the models or SpiffWorkflow's JSON changed enough to matter (compare
`bench/lifecycle.py`'s "instance state alone" before and after).
"""

import json
import re
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from app.bootstrap import prepare_database
from app.config import Config
from app.engine.models import ProcessInstance
from app.engine.serialization import DICTIONARY_DIR, state_text
from app.packing import Dictionaries
from app.services import open_services

# zlib reads up to 32 KB back, but a dictionary costs its length again on every save: on a case waiting at
# classification 32 KB gave -28 % at +0.09 ms a save, 8 KB -20 % at +0.02 ms (a fired timer costs ~1.9 ms)
WINDOW = 8 * 1024
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NAME = re.compile(r"[A-Za-z0-9_.:\-]*")  # spec names, keys, codes, decisions: kept; prose, ids: blanked


def blanked(value):
    """The state with what differs between cases emptied: ids, times, free text."""
    if isinstance(value, dict):
        return {("" if UUID.fullmatch(k) else k): blanked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [blanked(v) for v in value]
    if isinstance(value, float):
        return 0
    if isinstance(value, str) and (UUID.fullmatch(value) or not NAME.fullmatch(value)):
        return ""
    return value


def pieces(state: dict) -> set[str]:
    """A state cut at its tasks: each task's JSON, and each (sub)workflow's JSON without its tasks."""
    found = set()
    for workflow in (state, *state.get("subprocesses", {}).values()):
        found |= {_json(blanked(task)) for task in workflow["tasks"].values()}
        found.add(_json(blanked({k: v for k, v in workflow.items() if k not in ("tasks", "subprocesses")})))
    return found


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sample_states() -> list[dict]:
    """The states of the demo cases, played on a throw-away database."""
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(Config(database_url=f"sqlite:///{Path(tmp) / 'samples.sqlite3'}"))
        prepare_database(services, demo=True, demo_cases=True)
        with services.sessions() as session:
            states = [json.loads(state_text(s)) for s in session.scalars(select(ProcessInstance.state))]
        services.engine.dispose()
    return states


def dictionary(states: list[dict]) -> bytes:
    """The pieces that appear in most states, the most valuable (count × length) last, within zlib's window."""
    counts = Counter(piece for state in states for piece in pieces(state))
    ranked = sorted(counts, key=lambda piece: (counts[piece] * len(piece), piece))
    return "".join(ranked).encode()[-WINDOW:]


def main():
    states = sample_states()
    path = Dictionaries(DICTIONARY_DIR).next_path()
    path.write_bytes(dictionary(states))
    print(f"{path}: {path.stat().st_size:,} bytes from {len(states)} states")


if __name__ == "__main__":
    main()
