"""Two replies of the sender at the same instant (issue 18, seed 002 Art. 12.1–2): "one waiting at a time" holds on
PostgreSQL too. The petition row is locked before the check, so the second reply waits for the first's commit, then
sees it waiting and is refused with the usual message. SQLite lets one writer at a time anyway: PostgreSQL only."""

import threading

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.pool import NullPool

from app.errors import FormInvalid
from app.petitions.clarifications import ask_clarification
from app.petitions.models import Clarification, Petition

from .conftest import ON_POSTGRESQL, user
from .test_clarification import answered_in_quang_ngai

FIRST = "Văn bản trả lời chưa nói rõ thời hạn tháo dỡ."
SECOND = "Xin cho biết ai chịu trách nhiệm cưỡng chế nếu quá hạn."


def waits_for_a_lock(watcher, pid: int) -> bool:
    """Is the backend `pid` waiting for a lock another transaction holds (read outside any test transaction)?"""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    return watcher.execute(query, {"pid": pid}).scalar() == "Lock"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks are PostgreSQL's (SQLite locks the whole file to write)")
def test_two_replies_at_the_same_instant_give_one_clarification_and_the_second_is_told_one_waits(sessions, db_url):
    with sessions() as session:
        petition_id = answered_in_quang_ngai(session).id
    outcomes, pids, started = {}, [], threading.Event()

    def second_reply():
        with sessions() as session:
            pids.append(session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar())
            started.set()
            try:
                ask_clarification(session, user(session, "citizen"), session.get(Petition, petition_id), SECOND)
                outcomes["second"] = "asked"
            except FormInvalid as invalid:
                outcomes["second"] = [(e.field, e.rule) for e in invalid.errors]

    second = threading.Thread(target=second_reply)
    watcher = create_engine(db_url, poolclass=NullPool, isolation_level="AUTOCOMMIT").connect()

    def let_the_second_reply_run(_session):
        """The first reply has checked and written, not committed: the second runs until it finishes or waits on
        the first's lock (its own lock_timeout ends a wait that would never end)."""
        second.start()
        started.wait()
        while second.is_alive() and not waits_for_a_lock(watcher, pids[0]):
            second.join(0.01)

    with sessions() as session:
        event.listen(session, "before_commit", let_the_second_reply_run, once=True)
        ask_clarification(session, user(session, "citizen"), session.get(Petition, petition_id), FIRST)
    second.join()
    watcher.close()
    assert outcomes["second"] == [("reply", "clarification_open")]
    with sessions() as session:
        query = select(Clarification.reply).where(Clarification.petition_id == petition_id)
        assert session.scalars(query).all() == [FIRST]
        assert session.scalar(select(func.count(Clarification.id))) == 1
