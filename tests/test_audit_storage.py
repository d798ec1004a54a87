"""How audit data is stored (issue 18 point 3): large data compressed and read back equal, small data plain JSON
text, rows written before still read, and migration 0026 converting existing rows both ways on either engine."""

import json
import zlib
from hashlib import sha256

import pytest
from alembic import command
from sqlalchemy import create_engine, insert, inspect, select, text, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import NullPool

from app.audit.data import PACK_OVER, audit_columns, audit_data
from app.audit.data import WRITING as AUDIT_DICTIONARY
from app.audit.log import record
from app.audit.make_audit_dictionary import SIZE, dictionary, product_text
from app.audit.models import AuditEntry
from app.db import make_engine, make_session_factory
from app.engine.models import ProcessInstance
from app.engine.serialization import WRITING, state_text
from app.petitions.history import case_history
from app.petitions.models import Petition
from app.schema import alembic_config, head_revision, migrate

from .conftest import submit

# varied prose, so the figures say what real text gains
CONTENT = (
    "Trước cổng trường tiểu học Lê Văn Tám, xe tải chở vật liệu xây dựng thường xuyên đỗ chiếm lòng đường vào giờ "
    "tan học, học sinh phải len qua dòng xe máy. Đường ống cấp nước bị vỡ từ tuần trước chưa được sửa, nước chảy "
    "tràn làm sụt lún mặt đường. Đề nghị Ủy ban nhân dân phường bố trí lực lượng điều tiết giao thông, yêu cầu chủ "
    "các công trình lân cận tập kết vật liệu đúng nơi quy định và phối hợp với công ty cấp nước khắc phục sự cố. "
    "Người dân khu phố đã nhiều lần báo với tổ trưởng nhưng tình trạng kéo dài gần một tháng. Buổi tối đèn chiếu "
    "sáng ở đoạn này cũng hỏng, hố sụt không có biển cảnh báo, hôm thứ Bảy đã có một người đi xe máy bị ngã gãy tay. "
    "Chúng tôi mong được trả lời bằng văn bản về thời hạn sửa chữa và đơn vị chịu trách nhiệm."
)
PREVIOUS = "0025_duplicate_terms"


def recorded(session, actor, action, data) -> int:
    """The id of the entry `record` writes (it returns none: the row goes out with the transaction)."""
    record(session, actor, action, data=data)
    session.commit()
    return session.scalar(select(AuditEntry.id).where(AuditEntry.action == action).order_by(AuditEntry.id.desc()))


def entry_row(session, entry_id: int) -> dict:
    return dict(session.execute(select(AuditEntry.__table__).where(AuditEntry.id == entry_id)).one()._mapping)


def test_a_large_entry_is_stored_compressed_and_read_back_equal(session):
    data = {"content": CONTENT, "title": "Xe tải đỗ trước cổng trường", "steps": ["classify", "handle"]}
    assert len(json.dumps(data, ensure_ascii=False).encode()) > PACK_OVER
    entry_id = recorded(session, "tester", "petition.submitted", data)
    row = entry_row(session, entry_id)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    assert row["data_json"] == "" and bytes(row["data_packed"])[0] == AUDIT_DICTIONARY  # the dictionary's number
    assert len(row["data_packed"]) < len(zlib.compress(raw, 6)) * 0.9  # the product's words are in the dictionary
    session.expire_all()
    assert session.get(AuditEntry, entry_id).data == data


def test_a_small_entry_stays_plain_json_text(session):
    entry_id = recorded(session, "tester", "task.completed", {"values": {"decision": "forward"}})
    row = entry_row(session, entry_id)
    assert json.loads(row["data_json"]) == {"values": {"decision": "forward"}} and row["data_packed"] is None


def test_a_submission_s_entry_names_its_content_and_the_history_shows_the_rows_text(session):
    """The petition's row keeps the one copy (app/petitions/held_content.py); the entry its SHA-256."""
    petition = submit(session, content=CONTENT)
    session.commit()
    session.expire_all()
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "petition.submitted"))
    assert entry.petition_id == petition.id and CONTENT not in entry.data_text
    assert entry.data["content"] == {"$held": "content", "sha256": sha256(CONTENT.encode()).hexdigest(),
                                     "chars": len(CONTENT)}  # fmt: skip

    def shown() -> str:
        step = next(s for s in case_history(session, petition.instance_id) if s.entry.id == entry.id)
        return dict(step.notes)["Nội dung"]

    assert shown() == CONTENT
    session.execute(update(Petition).where(Petition.id == petition.id).values(content=CONTENT + " Đã sửa."))
    session.commit()
    assert shown() == "Nội dung đang lưu khác với nội dung đã tiếp nhận (mã kiểm tra không khớp)"


def test_rows_written_before_compression_still_read(session):
    """Rows of the release before: large data as plain JSON text, no packed column value."""
    data = {"content": CONTENT, "answer": CONTENT[::-1]}
    old = json.dumps(data, ensure_ascii=False, sort_keys=True)
    entry_id = session.execute(
        insert(AuditEntry).values(actor="tester", action="petition.submitted", outcome="ok", data_json=old)
    ).inserted_primary_key[0]
    session.commit()
    session.expire_all()
    assert session.get(AuditEntry, entry_id).data == data


def test_data_packed_without_a_dictionary_still_reads_and_an_unknown_dictionary_is_refused_by_name():
    large = {"content": CONTENT}
    assert audit_data("", zlib.compress(json.dumps(large, ensure_ascii=False).encode())) == large  # by 0026
    with pytest.raises(ValueError, match="dictionary 99"):
        audit_data("", bytes((99,)) + zlib.compress(b"{}"))


def test_migration_0026_converts_existing_rows_down_and_up(db_url):
    """Down: packed data back to text, states without their dictionary (what 0024's release reads); up: packed."""
    with make_session_factory(make_engine(db_url))() as session:
        instance_id = submit(session).instance_id
        session.commit()
        state = session.get(ProcessInstance, instance_id).state
        assert state[0] == WRITING
    engine = create_engine(db_url, poolclass=NullPool)
    small, large = {"values": {"decision": "forward"}}, {"content": CONTENT, "steps": ["handle"]}
    table = AuditEntry.__table__
    with engine.begin() as connection:
        packed_ids = [
            connection.execute(
                insert(table).values(actor="tester", action="petition.submitted", outcome="ok", **columns)
            ).inserted_primary_key[0]
            for columns in (
                audit_columns(large),  # with the dictionary
                {"data_json": "", "data_packed": zlib.compress(json.dumps(large, ensure_ascii=False).encode())},
            )
        ]
        command.downgrade(alembic_config(connection), PREVIOUS)
    assert "data_packed" not in {c["name"] for c in inspect(engine).get_columns("audit_entry")}
    with engine.connect() as connection:
        old_state = bytes(connection.scalar(select(ProcessInstance.state).where(ProcessInstance.id == instance_id)))
        texts = connection.execute(select(table.c.data_json).where(table.c.id.in_(packed_ids))).scalars().all()
    assert old_state[:1] == b"x" and zlib.decompress(old_state).decode() == state_text(state)
    assert [json.loads(t) for t in texts] == [large, large]
    with engine.begin() as connection:
        old_ids = [
            connection.execute(
                text("INSERT INTO audit_entry (at, actor, action, outcome, data_json) "
                     "VALUES (CURRENT_TIMESTAMP, 'tester', 'task.completed', 'ok', :data) RETURNING id"),
                {"data": json.dumps(data, ensure_ascii=False)},
            ).scalar()
            for data in (small, large)
        ]  # fmt: skip
    assert migrate(create_engine(db_url, poolclass=NullPool)) == (PREVIOUS, head_revision())
    with engine.begin() as connection:
        rows = {r.id: r for r in connection.execute(select(table).where(table.c.id.in_([*packed_ids, *old_ids])))}
    assert rows[old_ids[0]].data_packed is None and json.loads(rows[old_ids[0]].data_json) == small
    for entry_id in (*packed_ids, old_ids[1]):
        assert rows[entry_id].data_json == "" and json.loads(zlib.decompress(rows[entry_id].data_packed)) == large
    with engine.begin() as connection, pytest.raises(DatabaseError, match="append-only"):
        connection.execute(text("UPDATE audit_entry SET actor = 'x'"))  # the guard is back


def test_the_script_s_dictionary_packs_vietnamese_it_was_not_made_from_better_than_none():
    made = dictionary(product_text())
    assert 0 < len(made) <= SIZE and "phản ánh".encode() in made
    assert CONTENT[:40] not in made.decode()
    packer = zlib.compressobj(6, zdict=made)
    assert len(packer.compress(CONTENT.encode()) + packer.flush()) < len(zlib.compress(CONTENT.encode(), 6)) * 0.9
