"""Benchmark: complete PAKN lifecycles through the operations, against the bare engine in memory.

    python bench/lifecycle.py [-n 200] [--rounds 10] [--database URL]

Each lifecycle: submit → classify (forward) → handle → leader approves → intake approves → publish.
Prints lifecycles/s, mean ms per completed user task, stored bytes per finished petition, and the same
lifecycle run bare in SpiffWorkflow with no storage (the floor), with the ratio of the two. The two runs take
turns in `--rounds` rounds, so that a machine busy with other work slows both alike. The database is a new
SQLite file, or `--database` (an empty PostgreSQL database: its size is read after VACUUM FULL).

The sender's content (≈ 1,650 characters) and the handler's answer (≈ 850) are realistic Vietnamese prose with no
sentence repeated: until 2026-11-30 they were one sentence repeated 20× and 10×, which flattered compression.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.accounts.models import User  # noqa: E402
from app.bootstrap import prepare_database, process_documents  # noqa: E402
from app.calendars.book import CalendarBook  # noqa: E402
from app.calendars.files import load_files  # noqa: E402
from app.config import ROOT, Config  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.engine.models import ProcessInstance, WorkItem  # noqa: E402
from app.engine.parser import parse_documents  # noqa: E402
from app.engine.scripting import make_script_engine  # noqa: E402
from app.petitions.models import Petition  # noqa: E402
from app.petitions.operations import submit_petition  # noqa: E402
from app.process_memory import settle_start_up  # noqa: E402
from app.services import open_services  # noqa: E402
from app.tasks.operations import complete_task  # noqa: E402

# varied prose, no sentence repeated: a repeated sentence would flatter any compression of what is stored
CONTENT = (
    "Kính gửi Ủy ban nhân dân phường Kon Tum và các cơ quan có thẩm quyền. Tôi là cư dân sống tại số 34 đường Lê "
    "Lợi, xin phản ánh việc công trình đang thi công tại số 12 đường Trần Hưng Đạo đã lấn chiếm gần hết vỉa hè từ"
    " đầu tháng trước đến nay. Chủ công trình cho dựng hàng rào tôn cao khoảng hai mét, kéo dài ra sát mép đường,"
    " để cát, đá, gạch và sắt thép ngổn ngang, khiến người đi bộ, nhất là học sinh trường tiểu học gần đó và "
    "người cao tuổi, buộc phải đi xuống lòng đường giữa dòng xe máy, ô tô qua lại đông đúc vào giờ cao điểm. Buổi"
    " tối khu vực này không có đèn cảnh báo, tuần vừa rồi đã có một cháu nhỏ bị ngã xe đạp vì vấp phải đống vật "
    "liệu. Xe chở bê tông thường đến vào lúc nửa đêm, đổ tràn nước xi măng xuống cống thoát nước, làm tắc cống và"
    " bốc mùi, mỗi khi mưa lớn nước lại dâng ngập cả đoạn đường trước cửa các hộ dân. Tiếng máy trộn và máy khoan"
    " hoạt động liên tục cả ngày Chủ nhật, kể cả sau mười giờ đêm, ảnh hưởng nghiêm trọng đến sinh hoạt và giấc "
    "ngủ của nhiều gia đình. Các hộ dân chúng tôi đã trực tiếp góp ý với người quản lý công trình hai lần và có "
    "gọi điện cho tổ trưởng tổ dân phố, nhưng tình trạng vẫn không được khắc phục, thậm chí phần lấn chiếm còn mở"
    " rộng thêm. Tôi không rõ công trình này đã được cấp giấy phép xây dựng hay chưa, vì không thấy treo biển báo"
    " thông tin công trình theo quy định. Kính đề nghị cơ quan chức năng kiểm tra hiện trường, xác minh giấy "
    "phép, yêu cầu chủ đầu tư trả lại mặt bằng vỉa hè, bố trí rào chắn và đèn cảnh báo an toàn, đồng thời xử lý "
    "nghiêm các vi phạm nếu có. Tôi xin gửi kèm theo ảnh chụp hiện trạng và sẵn sàng phối hợp cung cấp thêm thông"
    " tin khi được yêu cầu. Xin trân trọng cảm ơn."
)
ANSWER = (
    "Ngày 14 tháng 3, Sở Xây dựng phối hợp với Ủy ban nhân dân phường Kon Tum và Thanh tra xây dựng đã kiểm tra "
    "hiện trường công trình tại số 12 đường Trần Hưng Đạo. Kết quả cho thấy chủ đầu tư có giấy phép xây dựng nhà "
    "ở riêng lẻ nhưng đã tập kết vật liệu và dựng hàng rào tạm trên vỉa hè khi chưa được cấp phép sử dụng tạm "
    "thời, đồng thời không treo biển báo thông tin công trình. Đoàn kiểm tra đã lập biên bản vi phạm hành chính, "
    "yêu cầu chủ đầu tư tháo dỡ phần lấn chiếm, dọn sạch vật liệu, nạo vét đoạn cống bị tắc trong vòng năm ngày "
    "và chỉ thi công từ sáu giờ sáng đến mười giờ tối. Ủy ban nhân dân phường được giao theo dõi, kiểm tra việc "
    "khắc phục; nếu chủ đầu tư không chấp hành sẽ bị đình chỉ thi công theo quy định. Kết quả xử lý được công "
    "khai trên Cổng thông tin của tỉnh để người dân cùng theo dõi, giám sát. Cảm ơn ông đã phản ánh kịp thời."
)
SUBMISSION = {
    "kind": "regulation",
    "field_code": "xay-dung",
    "channel": "portal",
    "title": "Công trình xây dựng lấn chiếm vỉa hè",
    "content": CONTENT,
    "sender_name": "Nguyễn Văn An",
    "sender_address": "34 Lê Lợi, phường Kon Tum, tỉnh Quảng Ngãi",
    "sender_phone": "0912345678",
    "sender_email": "an.nguyen@example.vn",
    "province_code": "quang-ngai",
    "commune_code": "23293",  # Phường Kon Tum, Quảng Ngãi
}
STEPS = [
    ("intake", "classify", {"decision": "forward", "lead_agency": "QNG-SXD"}),
    ("handler", "handle", {"action": "answer", "answer": ANSWER}),
    ("leader", "leader_approve", {"leader_decision": "approve"}),
    ("intake", "review", {"review_decision": "approve"}),
    ("intake", "publish", {"public_summary": "Đã yêu cầu tháo dỡ phần lấn chiếm."}),
]


def stored_lifecycles(sessions, n):
    with sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    started = time.perf_counter()
    task_seconds, tasks = 0.0, 0
    for _ in range(n):
        with sessions() as session:
            petition = submit_petition(session, users["citizen"], SUBMISSION)
            for username, bpmn_id, values in STEPS:
                item_id = session.scalar(
                    select(WorkItem.id).where(
                        WorkItem.instance_id == petition.instance_id,
                        WorkItem.bpmn_id == bpmn_id,
                        WorkItem.state == "ready",
                    )
                )
                t0 = time.perf_counter()
                complete_task(session, users[username], item_id, values)
                task_seconds += time.perf_counter() - t0
                tasks += 1
            assert petition.status == "published", petition.status
    return time.perf_counter() - started, task_seconds / tasks


def form_keys() -> set[str]:
    """Every field key of the forms in forms/ (what a completed task's data holds)."""
    keys = set()

    def walk(component):
        for child in component.get("components", []):
            if child.get("key"):
                keys.add(child["key"])
            walk(child)

    for path in (ROOT / "forms").glob("*.form"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return keys


FORM_KEYS = form_keys()


def bare_lifecycles(n):
    parser = parse_documents(process_documents(ROOT / "processes"))
    spec, subprocess_specs = parser.get_spec("pakn"), parser.get_subprocess_specs("pakn")
    book = CalendarBook(load_files(ROOT / "calendars"))

    def deadline(step):
        return book.due("quang-ngai", step, utcnow()).isoformat()

    noop = lambda *a, **k: None  # noqa: E731
    # every function the model may call (case_functions.CaseFunctions.functions), doing nothing but the deadlines
    named = ("due remind notify_sender assign_agency mark_overdue step_done step_not_applicable stop_clock consult "
             "transfer escalate escalate_repeat close_as_duplicate ask_sender chair_assigns mark_state_secret "
             "publish_result clarify")  # fmt: skip
    functions = {name: noop for name in named.split()}
    functions |= {"deadline": deadline, "reminder": deadline, "may_ask_sender": lambda *a, **k: True}
    started = time.perf_counter()
    for _ in range(n):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=make_script_engine(functions))
        workflow.task_tree.data.update(petition_id=1, intake_agency="QNG-VPUB", lead_agency=None, co_agencies=[])
        workflow.do_engine_steps()
        for _user, bpmn_id, values in STEPS:
            task = next(
                t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == bpmn_id
            )
            for key in FORM_KEYS:  # a field no form filled yet reads as empty, as the stored path's forms give
                task.data.setdefault(key, None)
            task.data.update(values)
            task.run()
            workflow.refresh_timers()
            workflow.do_engine_steps()
        assert workflow.completed
    return time.perf_counter() - started


def database_bytes(engine, compact: bool = False) -> int:
    """The database's size; `compact`: once the space of old row versions and half-empty pages is given back (what
    PostgreSQL's autovacuum reuses; SQLite's VACUUM)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            if compact:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM FULL"))
            return conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        if compact:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM"))
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return conn.execute(text("PRAGMA page_count")).scalar() * conn.execute(text("PRAGMA page_size")).scalar()


def taking_turns(sessions, n: int, rounds: int) -> tuple[float, float, float]:
    """(stored seconds, mean seconds per stored task, bare seconds) of n lifecycles each, in alternating rounds."""
    stored = task = bare = 0.0
    for r in range(rounds):
        count = n // rounds + (1 if r < n % rounds else 0)
        seconds, task_seconds = stored_lifecycles(sessions, count)
        stored, task = stored + seconds, task + task_seconds * count
        bare += bare_lifecycles(count)
    return stored, task / n, bare


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="lifecycles to run (default 200)")
    parser.add_argument("--rounds", type=int, default=10, help="turns the stored and bare runs take (default 10)")
    parser.add_argument("--database", help="an empty database's URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        services = open_services(Config(database_url=url))
        engine, sessions = services.engine, services.sessions
        prepare_database(services, demo=True)
        bare_lifecycles(5)  # warm the parser and imports for both runs
        settle_start_up()  # as a gunicorn worker does once started (app/wsgi.py)
        before, compact_before = database_bytes(engine), database_bytes(engine, compact=True)
        seconds, task_seconds, bare = taking_turns(sessions, args.n, max(1, min(args.rounds, args.n)))
        after, compact_after = database_bytes(engine), database_bytes(engine, compact=True)
        with sessions() as session:
            assert session.scalar(select(func.count(Petition.id)).where(Petition.status == "published")) == args.n
            state_bytes = session.scalar(select(func.avg(func.length(ProcessInstance.state))))
    stored_rate, bare_rate = args.n / seconds, args.n / bare
    print(f"lifecycles: {args.n} (submit + {len(STEPS)} user tasks each), {engine.dialect.name}, this machine")
    print(f"stored:  {stored_rate:8.1f} lifecycles/s   {task_seconds * 1000:6.2f} ms mean per completed task")
    bare_task_ms = bare * 1000 / (args.n * len(STEPS))
    print(f"bare:    {bare_rate:8.1f} lifecycles/s   {bare_task_ms:6.2f} ms per task (no storage)")
    print(f"ratio:   bare / stored = {bare_rate / stored_rate:.1f}x")
    print(
        f"stored bytes per finished petition: {(after - before) / args.n:,.0f} (database growth, all tables and "
        f"indexes), {(compact_after - compact_before) / args.n:,.0f} once compacted; instance state alone: "
        f"{state_bytes:,.0f}"
    )


if __name__ == "__main__":
    main()
