"""The intake clerk publishes an answer with a redacted title and one of the sender's files left out (issue 16.2); the
public case page, the answers list and its filter are read on a desk and on a phone (issue 19.5)."""

from app.attachments.files import Upload
from app.petitions.operations import submit_petition

from ..conftest import act, item_for, user, valid_submission
from .conftest import DESK, PHONE, log_in
from .test_journeys import finish

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"
OWN_TITLE = "Nhà ông Lê Văn Cường lấn chiếm vỉa hè"
PUBLIC_TITLE = "Công trình lấn chiếm vỉa hè đường Phan Đình Phùng"
SUMMARY = "Đã buộc tháo dỡ phần lấn chiếm vỉa hè."


def reviewed_case(app, sessions) -> tuple[str, int]:
    """A case with a street photo and a copy of a neighbour's identity card, answered and reviewed."""
    with sessions() as session:
        petition = submit_petition(
            session,
            user(session, "citizen"),
            valid_submission(title=OWN_TITLE, content="Ông Lê Văn Cường, CCCD 098765432109, xây lấn vỉa hè."),
            [Upload("anh-via-he.png", PNG), Upload("cccd-hang-xom.pdf", PDF)],
            app.extensions["pakn"]["config"].uploads_dir,
        )
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
        act(session, "handler", petition, "handle", action="answer", answer="Sở Xây dựng đã lập biên bản.")
        act(session, "leader", petition, "leader_approve", leader_decision="approve")
        act(session, "intake", petition, "review", review_decision="approve")
        return petition.tracking_code, item_for(session, petition, "publish").id


def grid_cells(page) -> list[dict]:
    """Each filter cell's label and control boxes."""
    return page.eval_on_selector_all(
        ".public-filters .filter:not(.submit)",
        """cells => cells.map(c => {
            const l = c.querySelector('label').getBoundingClientRect();
            const f = c.querySelector('input, select').getBoundingClientRect();
            return {labelBottom: l.bottom, labelLeft: l.left, top: f.top, left: f.left, right: f.right};
        })""",
    )


def test_a_clerk_publishes_a_redacted_answer_read_on_desk_and_phone(app, open_page, shots, sessions):
    code, publish = reviewed_case(app, sessions)
    clerk = open_page(DESK)
    log_in(clerk, "intake")
    clerk.goto(f"/cong-viec/{publish}")
    assert clerk.input_value("#cf-public_title") == OWN_TITLE  # proposed, to confirm or edit
    clerk.fill("#cf-public_title", PUBLIC_TITLE)
    clerk.fill("#cf-public_summary", SUMMARY)
    clerk.get_by_label("anh-via-he.png").check()
    assert not clerk.get_by_label("cccd-hang-xom.pdf").is_checked()
    finish(clerk, shots, "clerk-redacts-and-publishes")

    for label, viewport in (("desk", DESK), ("phone", PHONE)):
        reader = open_page(viewport)
        reader.goto(f"/tra-cuu/{code}")
        main = reader.locator("main").inner_text()
        assert reader.locator("h1").inner_text() == PUBLIC_TITLE and SUMMARY in main
        assert "Sở Xây dựng tỉnh Quảng Ngãi" in reader.locator(".answering-agency").inner_text()
        assert reader.locator(".answer-date").count() == 1
        assert reader.locator(".public-documents a").all_inner_texts() == ["anh-via-he.png"]
        for secret in ("Lê Văn Cường", "098765432109", "cccd-hang-xom.pdf"):
            assert secret not in reader.content()
        assert reader.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shots(reader, f"public-case-page-{label}")

        reader.goto("/cong-khai")
        reader.fill("#q", code.lower().replace("-", " "))
        reader.get_by_role("button", name="Lọc").click()
        reader.wait_for_load_state()
        assert reader.locator("article.result h2").all_inner_texts() == [PUBLIC_TITLE]
        assert "Lê Văn Cường" not in reader.content()
        cells = grid_cells(reader)
        for cell in cells:  # each label sits above its own control, within the screen
            assert cell["labelBottom"] <= cell["top"] + 1 and abs(cell["labelLeft"] - cell["left"]) <= 1
            assert cell["right"] <= viewport["width"]
        rows = {round(cell["top"]) for cell in cells[1:]}
        if label == "desk":  # the selects and dates line up in rows of several
            assert len(rows) < len(cells) - 1
        else:  # one field a row on a phone
            assert len(rows) == len(cells) - 1
        assert reader.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shots(reader, f"answers-page-found-by-code-{label}")
