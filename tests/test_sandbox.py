"""Model scripts run in a sandbox: escapes are refused at deploy and at run time, every engine run is bounded,
and a runaway script holds no database write lock."""

import threading
import time
from uuid import uuid4
from xml.sax.saxutils import escape as xml_escape

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.engine import limits
from app.engine.deployment import DeploymentRefused, deploy
from app.engine.models import ProcessDefinition, ProcessInstance, WorkItem
from app.engine.parser import parse_documents
from app.engine.runtime import LimitExceeded, StepFailed
from app.engine.serialization import dump_specs
from app.engine.validation import validate_documents
from app.petitions.models import CaseDeadline, Notification, Petition

from .conftest import act, submit
from .test_engine_safety import pakn_with

RECEIPT = "<bpmn:script>notify_sender('receipt')</bpmn:script>"
PAKN_FILE = "processes/pakn.bpmn"
ESCAPES = [
    "notify_sender.__func__.__globals__['__builtins__']",
    "().__class__.__base__.__subclasses__()",
    "().__class__",
    "getattr(notify_sender, 'x')",
    "__import__('os')",
    "open('/etc/passwd')",
    "eval('1 + 1')",
    "exec('x = 1')",
    "type(notify_sender)",
    "globals()",
    "notify_sender.__self__.session",
    "'{0.__class__}'.format(1)",
    "str.format('{0.__class__}', 1)",
]


def receipt_script(*lines: str) -> dict[str, bytes]:
    """pakn.bpmn whose first script (run by every submission) ends with `lines`."""
    script = xml_escape("\n".join(["notify_sender('receipt')", *lines]))
    return pakn_with(RECEIPT, f"<bpmn:script>{script}</bpmn:script>")


def line_of(documents, text: str) -> int:
    lines = documents[PAKN_FILE].decode().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def force_into_database(session, documents):
    """Store a model as deploy() does but with no check at all (as if written to the database directly)."""
    parser = parse_documents(documents)
    latest = session.scalar(select(func.max(ProcessDefinition.version)).filter_by(process_key="pakn"))
    session.add(
        ProcessDefinition(
            process_key="pakn",
            version=latest + 1,
            content_hash=uuid4().hex,
            file_name=PAKN_FILE,
            bpmn_xml=documents[PAKN_FILE].decode(),
            spec_json=dump_specs(parser.get_spec("pakn"), parser.get_subprocess_specs("pakn")),
        )
    )
    session.commit()


def stored_counts(session) -> dict:
    session.expire_all()
    tables = (Petition, ProcessInstance, WorkItem, CaseDeadline, Notification)
    return {t.__name__: session.scalar(select(func.count()).select_from(t)) for t in tables}


@pytest.mark.parametrize("attempt", ESCAPES)
def test_validate_refuses_a_sandbox_escape_naming_file_line_and_element(attempt):
    documents = receipt_script(f"x = {attempt}")
    problems = validate_documents(documents)
    assert problems, attempt
    where = {(p.file, p.line, p.element) for p in problems}
    assert where == {(PAKN_FILE, line_of(documents, "x = "), "record_receipt")}
    assert all("refused by the script sandbox" in p.message for p in problems)


def test_validate_refuses_an_import_and_a_dunder_in_a_condition():
    documents = receipt_script("import os")
    (problem,) = validate_documents(documents)
    assert (problem.line, problem.element) == (line_of(documents, "import os"), "record_receipt")
    condition = pakn_with("decision == 'reject'<", "decision.__class__ == 'reject'<")
    (problem,) = validate_documents(condition)
    assert (problem.line, problem.element) == (line_of(condition, "decision.__class__"), "flow_reject")
    assert '"__class__" is an invalid attribute name' in problem.message


def test_deploy_refuses_a_model_whose_script_the_sandbox_refuses(session):
    with pytest.raises(DeploymentRefused) as refused:
        deploy(session, receipt_script("x = globals()"))
    line = line_of(receipt_script("x = globals()"), "x = globals()")
    assert f"{PAKN_FILE}:{line}: record_receipt: refused by the script sandbox" in str(refused.value)
    assert session.scalar(select(func.count(ProcessDefinition.id)).where(ProcessDefinition.process_key == "pakn")) == 1


@pytest.mark.parametrize(
    "payload",
    [
        "b = notify_sender.__func__.__globals__['__builtins__']\n"
        "(b['__import__'] if isinstance(b, dict) else b.__import__)('os').mkdir(MARKER)",
        "w = [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == '_wrap_close'][0]\n"
        "w.__init__.__globals__['mkdir'](MARKER)",
        "__import__('os').mkdir(MARKER)",
        "open(MARKER, 'w')",
        "getattr(notify_sender, '__self__').session.rollback()",
        "notify_sender.__self__.session.commit()",
        "x = '{0.__class__}'.format(1)",
    ],
    ids=["func-globals-builtins", "subclasses-wrap-close", "import", "open", "getattr", "self-session", "format"],
)
def test_a_model_forced_past_validation_is_refused_at_run_time_with_no_side_effect(session, tmp_path, payload):
    marker = tmp_path / "escaped"
    force_into_database(session, receipt_script(payload.replace("MARKER", repr(str(marker)))))
    before = stored_counts(session)
    with pytest.raises(StepFailed) as failure:
        submit(session, username=None)
    assert failure.value.bpmn_id == "record_receipt" and "ScriptRefused" in str(failure.value)
    assert not marker.exists()
    assert stored_counts(session) == before


def test_a_forced_condition_reaching_a_dunder_is_refused_when_the_gateway_runs(session):
    force_into_database(session, pakn_with("decision == 'reject'<", "decision.__class__ == 'reject'<"))
    forced = submit(session, username=None)
    instance = session.get(ProcessInstance, forced.instance_id)
    state_before = instance.state
    with pytest.raises(StepFailed) as failure:
        act(session, "intake", forced, "classify", decision="forward", lead_agency="QNG-SXD")
    assert failure.value.bpmn_id == "gw_classification"
    assert '"__class__" is an invalid attribute name' in str(failure.value)
    session.expire_all()
    assert session.get(ProcessInstance, forced.instance_id).state == state_before


def test_an_endless_loop_ends_the_submission_after_the_time_limit_and_stores_nothing(session):
    deploy(session, receipt_script("while True:", "    pass"))
    session.commit()
    before, started = stored_counts(session), time.monotonic()
    with pytest.raises(LimitExceeded) as failure:
        submit(session, username=None)
    assert time.monotonic() - started < 30  # bounded: 2 s of processor time, longer on a busy machine
    assert str(failure.value) == "record_receipt: script took longer than 2 s (the limit of one engine run)"
    assert stored_counts(session) == before


def test_catching_exception_does_not_catch_the_time_limit(session):
    deploy(session, receipt_script("try:", "    while True:", "        pass", "except Exception:", "    pass"))
    session.commit()
    with pytest.raises(LimitExceeded, match="took longer than 2 s"):
        submit(session, username=None)


@pytest.mark.parametrize("huge", ["10**10**10", "'x' * 10**10", "[0] * 10**10", "1 << 10**10", "'x'.ljust(10**10)"])
def test_a_huge_computation_is_refused_before_it_runs(session, huge):
    deploy(session, receipt_script(f"x = {huge}"))
    session.commit()
    before, started = stored_counts(session), time.monotonic()
    with pytest.raises(LimitExceeded) as failure:
        submit(session, username=None)
    assert time.monotonic() - started < 10  # refused up front: running it would take hours
    assert failure.value.bpmn_id == "record_receipt" and "would be too large" in str(failure.value)
    assert stored_counts(session) == before


def test_comparing_data_whose_parts_are_shared_is_refused_before_it_runs(session):
    shared = ["s = 'x' * 900000", "t = 'x' * 900000", "a = [s for i in range(1000)]", "b = [t for i in range(1000)]"]
    deploy(session, receipt_script(*shared, "same = a == b"))
    session.commit()
    with pytest.raises(LimitExceeded, match="a compared or sorted value would be too large"):
        submit(session, username=None)


def test_building_without_end_is_stopped_by_the_size_budget_of_the_run(session):
    deploy(session, receipt_script("parts = []", "while True:", "    parts.append('x' * 1000000)"))
    session.commit()
    with pytest.raises(LimitExceeded, match="built more than 20,000,000 characters or items in one run"):
        submit(session, username=None)


LOOP_MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="loop" targetNamespace="t">
  <bpmn:process id="pakn" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="count" scriptFormat="python">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>again</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>rounds = 1</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="more" default="done"><bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>again</bpmn:outgoing><bpmn:outgoing>done</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>done</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="count" />
    <bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="more" />
    <bpmn:sequenceFlow id="again" sourceRef="more" targetRef="count">
      <bpmn:conditionExpression>True</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="done" sourceRef="more" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_model_looping_through_script_tasks_ends_after_the_step_limit(session, monkeypatch):
    monkeypatch.setattr(limits, "MAX_SECONDS", 30.0)  # a busy machine must not reach the time bound first
    force_into_database(session, {PAKN_FILE: LOOP_MODEL.encode()})  # no diagram: deploy would refuse it
    before, started = stored_counts(session), time.monotonic()
    with pytest.raises(LimitExceeded) as failure:
        submit(session, username=None)
    assert time.monotonic() - started < 15  # bounded: about a second on an idle machine
    assert "more than 1,000 automatic steps in one run" in str(failure.value)
    assert failure.value.bpmn_id in ("count", "more")
    assert stored_counts(session) == before


def test_a_runaway_script_does_not_hold_the_write_lock(sessions):
    with sessions() as session:
        waiting = submit(session).id  # on the product's model, before the runaway one is deployed
        deploy(session, receipt_script("while True:", "    pass"))
        session.commit()
        before = stored_counts(session)
    outcome = {}

    def runaway():
        with sessions() as session:
            try:
                submit(session, username=None)
            except LimitExceeded as err:
                outcome["error"] = err
            outcome["runaway_ended"] = time.monotonic()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)  # the runaway submission is inside its script now
    with sessions() as session:
        act(session, "intake", session.get(Petition, waiting), "classify", decision="forward", lead_agency="QNG-SXD")
        other_ended = time.monotonic()
    thread.join(10)
    assert other_ended < outcome["runaway_ended"]  # not blocked behind the runaway's write lock
    assert "record_receipt: script took longer than 2 s" in str(outcome["error"])
    with sessions() as session:
        after = stored_counts(session)
        assert after["Petition"] == before["Petition"] and after["ProcessInstance"] == before["ProcessInstance"]
        completed = select(func.count(AuditEntry.id)).where(AuditEntry.action == "task.completed")
        assert session.scalar(completed) == 1


def test_a_generated_forms_required_if_rule_runs_in_the_sandbox():
    from app.engine.forms import FormField, validate_submission  # noqa: PLC0415
    from app.engine.sandbox import ScriptRefused  # noqa: PLC0415

    escape = FormField(id="x", label="X", type="string", constraints={"required_if": "().__class__.__base__"})
    with pytest.raises(ScriptRefused, match="invalid attribute name"):
        validate_submission([escape], {"x": ""}, None)
    rule = FormField(id="x", label="X", type="string", constraints={"required_if": "kind == 'a'"})
    kind = FormField(id="kind", label="K", type="string")
    assert validate_submission([rule, kind], {"x": "", "kind": "b"}, None) == {"x": None, "kind": "b"}
