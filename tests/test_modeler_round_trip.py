"""The designer's round trip with Camunda Modeler: what it writes is accepted and kept byte for byte; what it lets
a designer write that this engine cannot run is refused by validate, deploy and the admin upload alike, by name."""

import io

import pytest
from sqlalchemy import select

from app.diagrams import render_diagrams
from app.engine.deployment import DeploymentRefused, deploy
from app.engine.models import ProcessDefinition, ProcessInstance
from app.engine.validation import validate_documents
from app.petitions.catalog import STATUSES

from .conftest import PROCESSES, submit
from .test_designer_commands import run
from .test_process_starts import LEADER_REVIEW
from .web import confirm_deploy, csrf_token

SAVED = PROCESSES.parent / "tests" / "fixtures" / "external" / "camunda" / "pakn-saved-by-camunda-modeler.bpmn"
PAKN = (PROCESSES / "pakn.bpmn").read_text(encoding="utf-8")
REJECT = "decision == 'reject'</bpmn:conditionExpression>"
TIMER = "<bpmn:timeDate xsi:type=\"bpmn:tFormalExpression\">deadline('reject')</bpmn:timeDate>"
NOTE_SCRIPT = '<bpmn:scriptTask id="note_reject_overdue" name="Ghi nhận quá hạn từ chối" scriptFormat="python">'
CLASSIFY = '<bpmn:userTask id="classify" name="Phân loại PAKN"'


def pakn_with(old: str, new: str) -> dict[str, bytes]:
    assert PAKN.count(old) == 1, old
    return {"pakn.bpmn": PAKN.replace(old, new).encode("utf-8")}


def test_a_file_saved_by_camunda_modeler_validates():
    result = run("validate", str(SAVED))
    assert result.returncode == 0, result.stderr
    assert b"modeler:executionPlatform" in SAVED.read_bytes() and b"bioc:fill" in SAVED.read_bytes()


def test_it_deploys_with_its_xml_kept_byte_for_byte(session):
    (result,) = deploy(session, {SAVED.name: SAVED.read_bytes()}, statuses=STATUSES)
    assert result.created and result.process_key == "pakn"
    assert result.definition.bpmn_xml.encode("utf-8") == SAVED.read_bytes()


def test_new_petitions_run_on_it(session):
    (result,) = deploy(session, {SAVED.name: SAVED.read_bytes()}, statuses=STATUSES)
    session.commit()
    petition = submit(session)
    instance = session.get(ProcessInstance, petition.instance_id)
    assert instance.definition_id == result.definition.id and instance.status == "running"


def test_it_renders_with_its_colours():
    drawn = "".join(d.svg for d in render_diagrams(SAVED.read_bytes(), file_name=SAVED.name))
    assert all(colour in drawn for colour in ("#bbdefb", "#ffcdd2", "#c8e6c9"))


def upload(browser, name: str, data: bytes):
    token = csrf_token(browser, "/quan-tri/quy-trinh/")
    return browser.post(
        "/quan-tri/quy-trinh/",
        data={"files": (io.BytesIO(data), name), "csrf_token": token},
        content_type="multipart/form-data",
    )


def test_the_admin_upload_keeps_it_and_the_download_gives_the_same_bytes(login, session):
    admin = login("admin")
    preview = upload(admin, SAVED.name, SAVED.read_bytes())
    assert confirm_deploy(admin, preview.data.decode()).status_code == 302
    definition = session.scalar(
        select(ProcessDefinition).filter_by(process_key="pakn").order_by(ProcessDefinition.version.desc())
    )
    download = admin.get(f"/quan-tri/quy-trinh/{definition.id}/tai-ve")
    assert download.status_code == 200 and download.data == SAVED.read_bytes()


def test_the_admin_upload_refuses_a_groovy_script_by_name(login):
    groovy = PAKN.replace(NOTE_SCRIPT, NOTE_SCRIPT.replace('scriptFormat="python"', 'scriptFormat="groovy"'))
    page = upload(login("admin"), "groovy.bpmn", groovy.encode("utf-8"))
    assert page.status_code == 422
    assert "script format &#39;groovy&#39;: only Python scripts run here" in page.data.decode()


def test_the_admin_upload_refuses_a_java_delegate_by_name_instead_of_failing(login, session):
    java = SAVED.parent / "deployment_servlet-pa_exampleProcess.bpmn"  # Camunda's own example, camunda:class
    page = upload(login("admin"), java.name, java.read_bytes())
    assert page.status_code == 422
    assert "ServiceTask_1" in page.data.decode()
    assert "camunda:class &#39;org.camunda.bpm.platform.example.servlet.ExampleServiceTask&#39; is a Java delegate" in (
        page.data.decode()
    )
    assert session.scalar(select(ProcessDefinition).filter_by(process_key="exampleProcess")) is None


def test_the_admin_upload_says_a_file_without_executable_process_has_nothing_to_deploy(login):
    idle = PAKN.replace('isExecutable="true"', 'isExecutable="false"')
    page = upload(login("admin"), "nhap.bpmn", idle.encode("utf-8"))
    assert page.status_code == 422
    assert "Không có gì để triển khai: tệp nhap.bpmn không có quy trình thực thi nào" in page.data.decode()


def condition(code: str) -> str:
    return f"{code}</bpmn:conditionExpression>"


def timer(tag: str, code: str) -> str:
    return TIMER.replace("timeDate", tag).replace("deadline('reject')", code)


LISTENER = '<bpmn:extensionElements><camunda:executionListener class="a.B" event="start" /></bpmn:extensionElements>'
CLOUD = 'xmlns:modeler="http://camunda.org/schema/modeler/1.0" modeler:executionPlatform="Camunda Cloud"'
CANNOT_RUN = {
    "juel-comparison": (
        REJECT,
        condition("${decision == 'reject'}"),
        "flow_reject",
        "write the Python expression decision == 'reject'",
    ),
    "juel-and-not": (
        REJECT,
        condition("${decision == 'reject' &amp;&amp; !urgent}"),
        "flow_reject",
        "decision == 'reject' and not urgent",
    ),
    "juel-empty": (REJECT, condition("#{empty decision}"), "flow_reject", "write the Python expression not decision"),
    "juel-bean": (REJECT, condition("${service.decide(execution)}"), "flow_reject", "write it as a Python expression"),
    "groovy": (NOTE_SCRIPT, NOTE_SCRIPT.replace("python", "groovy"), "note_reject_overdue", "script format 'groovy'"),
    "javascript": (
        NOTE_SCRIPT,
        NOTE_SCRIPT.replace("python", "javascript"),
        "note_reject_overdue",
        "only Python scripts",
    ),
    "assignee-expression": (
        CLASSIFY,
        f'{CLASSIFY} camunda:assignee="${{initiator}}"',
        "classify",
        "camunda:assignee '${initiator}'",
    ),
    "starter-expression": (
        'id="pakn" name=',
        'id="pakn" camunda:candidateStarterGroups="${starters}" name=',
        "pakn",
        "camunda:candidateStarterGroups '${starters}': this engine reads it as names",
    ),
    "time-cycle": (
        TIMER,
        timer("timeCycle", "'R3/PT10H'"),
        "timer_reject_due",
        "repeating timers are not run by the scheduler",
    ),
    "unquoted-duration": (TIMER, timer("timeDuration", "PT5M"), "timer_reject_due", "write it as a string, 'PT5M'"),
    "bad-duration": (TIMER, timer("timeDuration", "'P5X'"), "timer_reject_due", "not an ISO 8601 duration"),
    "bad-date": (TIMER, timer("timeDate", "'next monday'"), "timer_reject_due", "not an ISO 8601 date and time"),
    "juel-timer": (TIMER, timer("timeDate", "${dueDate}"), "timer_reject_due", "write the Python expression dueDate"),
    "listener": (
        f"{NOTE_SCRIPT}\n",
        f"{NOTE_SCRIPT}{LISTENER}\n",
        "note_reject_overdue",
        "camunda:executionListener (event 'start', class 'a.B'): listeners are not run",
    ),
    "camunda-8": (
        'exporterVersion="5.31.0"',
        f'exporterVersion="5.31.0" {CLOUD}',
        "Definitions_pakn",
        "made for Camunda Cloud",
    ),
}


@pytest.mark.parametrize(("old", "new", "element", "message"), CANNOT_RUN.values(), ids=CANNOT_RUN.keys())
def test_what_cannot_run_is_refused_by_name_by_validate_and_deploy_alike(session, old, new, element, message):
    documents = pakn_with(old, new)
    problems = validate_documents(documents, statuses=STATUSES)
    assert [p for p in problems if p.element == element and message in p.message], "\n".join(map(str, problems))
    assert len(problems) == len(set(problems))
    with pytest.raises(DeploymentRefused) as refused:
        deploy(session, documents, statuses=STATUSES)
    assert refused.value.problems == problems


def test_a_file_not_in_utf8_is_refused_rather_than_stored_garbled():
    latin = PAKN.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Phân loại PAKN", "Classificação")
    (problem,) = validate_documents({"latin.bpmn": latin.encode("latin-1", errors="replace")}, statuses=STATUSES)
    assert "not UTF-8" in problem.message


def test_a_process_with_a_vietnamese_id_downloads_under_its_name(login, session):
    """A process id may be any XML name, e.g. Vietnamese: the header carries it as RFC 6266's filename*, with an
    ASCII name beside it (a header holds Latin-1 only: the server could not send the raw name)."""
    admin = login("admin")
    xml = LEADER_REVIEW.read_text(encoding="utf-8")
    preview = upload(admin, "ra-soat.bpmn", xml.replace('"leader_review"', '"rà_soát_đề_nghị"').encode("utf-8"))
    assert confirm_deploy(admin, preview.data.decode()).status_code == 302
    definition = session.scalar(select(ProcessDefinition).filter_by(process_key="rà_soát_đề_nghị"))
    download = admin.get(f"/quan-tri/quy-trinh/{definition.id}/tai-ve")
    disposition = download.headers["Content-Disposition"]
    assert download.status_code == 200 and download.data.decode("utf-8") == definition.bpmn_xml
    disposition.encode("latin-1")  # what a server can send
    quoted = "r%C3%A0_so%C3%A1t_%C4%91%E1%BB%81_ngh%E1%BB%8B-v1.bpmn"
    assert disposition == f"attachment; filename=\"ra_soat_de_nghi-v1.bpmn\"; filename*=UTF-8''{quoted}"
