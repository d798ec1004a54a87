"""The public search reads only what is published: title, public summary and answer; what is typed is literal."""

from app.petitions.models import Petition
from app.petitions.search import MAX_QUERY_WORDS, refresh_search_texts, search_text, search_words

from .conftest import act, submit


def publish(session, petition, answer, summary):
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", petition, "handle", action="answer", answer=answer)
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary=summary)
    assert petition.status == "published"


def found(client, query: str, petition) -> bool:
    return petition.title in client.get("/cong-khai", query_string={"q": query}).data.decode()


def test_a_word_only_in_the_petitions_unpublished_content_finds_nothing(client, session):
    petition = submit(session, title="Đèn đường hỏng", content="Nhà ông Quách Zê ở ngõ 7 bị mất trộm xe máy.")
    publish(session, petition, "Đã thay bóng đèn.", "Đã sửa đèn")
    assert not found(client, "quach ze", petition)
    assert found(client, "den duong", petition) and found(client, "thay bong", petition)


def test_the_stored_search_text_leaves_out_the_content_the_own_title_and_the_sender():
    petition = Petition(title="Nhà ông Quách Zê", public_title="Tiêu đề", content="Nội dung riêng",
                        public_summary="Tóm tắt", answer="Trả lời", sender_name="Nguyễn Văn An")  # fmt: skip
    assert search_text(petition) == "tieu de tom tat tra loi"


def test_percent_and_underscore_typed_in_the_search_are_literal(client, session):
    petition = submit(session, title="Cống thoát nước tắc")
    publish(session, petition, "Đã thông cống.", "Đã xử lý")
    for query in ("%", "_", "c%g", "t_c"):
        assert not found(client, query, petition), query
    assert found(client, "cong thoat", petition)


def test_a_long_query_is_cut_to_its_first_words():
    words = search_words(" ".join(f"tu{i}" for i in range(1200)))
    assert words == [f"tu{i}" for i in range(MAX_QUERY_WORDS)]


def test_published_petitions_of_an_older_release_lose_their_content_from_the_search_text(session):
    petition = submit(session, title="Rác thải", content="Bí mật riêng tư của người gửi phản ánh.")
    publish(session, petition, "Đã thu gom.", "Đã thu gom")
    petition.search_text = "rac thai bi mat rieng tu cua nguoi gui phan anh da thu gom"  # as older releases did
    session.commit()
    assert refresh_search_texts(session) == 1
    assert "bi mat" not in petition.search_text


def test_a_word_finds_the_same_word_not_its_beginning_nor_a_fragment_inside_one(client, session):
    petition = submit(session, title="Cống thoát nước tắc")
    publish(session, petition, "Đã thông cống, xử lý lấn-chiếm 1.5 m.", "Đã xử lý")
    for query in ("thoat nuoc", "CỐNG THOÁT", "xu ly", "lan-chiem", "1.5", "thông"):
        assert found(client, query, petition), query
    for query in ("thoa nuo", "hoat", "ong", "lan-chi", "thoat xyz"):
        assert not found(client, query, petition), query


def answers_page(client, query: str) -> str:
    response = client.get("/cong-khai", query_string={"q": query})
    assert response.status_code == 200, query
    return response.data.decode()


def test_what_is_typed_is_never_query_syntax(client, session):
    petition = submit(session, title="Cống thoát nước tắc")
    publish(session, petition, "Đã thông cống.", "Đã xử lý")
    # operators of FTS5 and tsquery are plain words or punctuation: they neither widen nor narrow the search
    for query in ('"cong"', "'cong' thoat", "-thoat cong", "cong & !thoat", "(cong)", "cong:", "cong\\", "^cong",
                  '"cong', "cong <-> thoat"):  # fmt: skip
        assert petition.title in answers_page(client, query), query
    for query in ("*", "c*", "c:*", '"', "'", "xyz OR cong", "cong NOT thoat", "NEAR(cong thoat)", "cong | xyz",
                  "search_text:cong", "cong AND", "{search_text}", "-", "\\"):  # fmt: skip
        assert petition.title not in answers_page(client, query), query


def test_words_most_answers_hold_give_the_pages_of_the_plain_query(session):
    """More than FEW_MATCHES answers hold the words: on SQLite the newest answers are read a chunk at a time and
    FTS5 asked about each chunk; the pages are those of the plain query, on both databases."""
    from datetime import UTC, datetime, timedelta  # noqa: PLC0415

    from sqlalchemy import event, insert, select  # noqa: PLC0415

    from app.petitions.queries import FEW_MATCHES, PublicFilters, published_answers, published_query  # noqa: PLC0415

    model = session.execute(select(Petition.__table__).where(Petition.id == submit(session).id)).mappings().one()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {**model, "tracking_code": f"BULK-{i:04d}-0000", "public_title": f"Vỉa hè {i}", "published_at":
         start + timedelta(minutes=i), "search_text": "lan chiem via he" + (" cong" if i % 3 else ""),
         "hidden": i % 50 == 0, "state_secret": False}
        for i in range(FEW_MATCHES + 300)
    ]  # fmt: skip
    for row in rows:
        del row["id"]
    session.execute(insert(Petition.__table__), rows)
    session.commit()
    engine, asked = session.get_bind(), []

    def keep(conn, cursor, statement, *rest):
        asked.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        for q, page in (("via he", 1), ("via he cong", 1), ("via he cong", 7)):
            filters = PublicFilters(q=q, page=page)
            shown = [p.tracking_code for p in published_answers(session, filters)[0]]
            plain = session.scalars(published_query(engine.dialect.name, filters, page)).all()
            assert shown == [p.tracking_code for p in plain[:20]] and len(shown) == 20, (q, page)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    walked = [s for s in asked if "MATCH" in s and "rowid IN (" in s]
    assert bool(walked) == (engine.dialect.name == "sqlite")
