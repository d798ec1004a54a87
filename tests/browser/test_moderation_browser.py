"""A clerk hides abusive reports: a published one vanishes from the public list and its search, an open one stays
in the inbox with its deadline; shown again, the answer is back."""

from sqlalchemy import select

from app.engine.models import WorkItem

from ..conftest import item_for, submit
from ..test_web_portal import publish
from .conftest import DESK, PHONE, log_in


def hide(clerk, item_id: int):
    clerk.goto(f"/cong-viec/{item_id}")
    clerk.get_by_text("Ẩn khỏi cổng công khai").click()
    clerk.select_option("#hide-reason", "abusive")
    clerk.get_by_role("button", name="Ẩn", exact=True).click()
    clerk.wait_for_load_state()
    assert "Đã ẩn PAKN" in clerk.locator(".flash.ok").inner_text()


def test_a_clerk_hides_abusive_reports_and_shows_one_again(open_page, shots, sessions):
    with sessions() as session:
        answered = submit(session, title="Chửi bới cán bộ tổ dân phố")
        publish(session, answered, "Đã trả lời.", "Đã trả lời")
        published_item = session.scalar(  # the intake office's finished task still opens the case
            select(WorkItem.id).where(WorkItem.instance_id == answered.instance_id, WorkItem.bpmn_id == "publish")
        )
        waiting = submit(session, title="Lời lẽ xúc phạm trong phản ánh")
        classify = item_for(session, waiting, "classify").id
    public = open_page(PHONE)
    public.goto("/cong-khai?q=chui boi")
    assert "Chửi bới cán bộ tổ dân phố" in public.locator("main").inner_text()
    clerk = open_page(DESK)
    log_in(clerk, "intake")

    hide(clerk, published_item)
    public.goto("/cong-khai?q=chui boi")
    assert "Chửi bới cán bộ tổ dân phố" not in public.locator("main").inner_text()
    public.goto("/cong-khai")
    assert "Chửi bới cán bộ tổ dân phố" not in public.locator("main").inner_text()
    shots(public, "gone-from-the-public-list")

    hide(clerk, classify)
    clerk.goto("/cong-viec")
    row = clerk.locator(f"#item-{classify}").inner_text()
    assert "Đã ẩn khỏi cổng công khai" in row and "ngày làm việc" in row  # still there, with its deadline
    shots(clerk, "hidden-but-in-the-inbox")

    clerk.goto(f"/cong-viec/{published_item}")
    clerk.get_by_text("Hiện lại trên cổng công khai").click()
    clerk.get_by_role("button", name="Hiện lại", exact=True).click()
    clerk.wait_for_load_state()
    public.goto("/cong-khai?q=chui boi")
    assert "Chửi bới cán bộ tổ dân phố" in public.locator("main").inner_text()
    shots(public, "shown-again")
