"""Deployed definitions a process has read, handed to later sessions without a query.

A definition never changes once deployed (a changed file is a new version) and is never deleted, so every operation
reading its instance's definition by primary key asked the same question again. A copy read in a committed
transaction is merged into later sessions (`load=False`: no SQL); its large columns still load on demand.
"""

import threading

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from .models import ProcessDefinition

_COLUMNS = ("id", "process_key", "name", "version", "content_hash", "file_name", "deployed_at", "deployed_by")
_known: dict[tuple[str, int], ProcessDefinition] = {}
_lock = threading.Lock()


def definition_of(session, row) -> ProcessDefinition:
    """The definition of an instance row: from this process's copies when it has one, else read (and kept once the
    transaction commits: a definition inserted in a transaction that rolls back is never kept)."""
    key = (str(session.get_bind().url), row.definition_id)
    known = _known.get(key)
    if known is not None:
        with _lock:  # merge reads the shared copy's state
            definition = session.merge(known, load=False)  # into the session's identity map, without SQL
        # set as loaded: the relationship would read it again (a row read with populate_existing refreshes it)
        set_committed_value(row, "definition", definition)
        return definition
    definition = row.definition
    session.info.setdefault("read_definitions", []).append((key, _detached_copy(definition)))
    return definition


def _detached_copy(definition: ProcessDefinition) -> ProcessDefinition:
    copy = ProcessDefinition(**{name: getattr(definition, name) for name in _COLUMNS})
    make_transient_to_detached(copy)  # as if loaded from a query
    # the deferred XML and spec are left unloaded (loaded on access), not expired: an expired object in a session's
    # identity map is read again by the relationship that finds it
    inspect(copy).expired_attributes.difference_update(("bpmn_xml", "spec_json"))
    return copy


@event.listens_for(Session, "after_commit")
def _keep_read_definitions(session):
    for key, copy in session.info.pop("read_definitions", []):
        _known.setdefault(key, copy)


@event.listens_for(Session, "after_rollback")
def _forget_read_definitions(session):
    session.info.pop("read_definitions", None)
