"""Camunda's own examples (tests/fixtures/external/camunda, README there): validate, deploy and render agree on
files nobody here wrote; what runs is run to its end, what cannot run is refused naming the element."""

import pytest
from lxml import etree
from sqlalchemy import select

from app.accounts.models import User
from app.camunda_forms import FormRegistry
from app.config import ROOT
from app.diagrams import render_diagrams
from app.engine.deployment import DeploymentRefused, deploy, deployed_process_keys
from app.engine.instances import complete_user_task, save, start_instance
from app.engine.models import ProcessInstance, WorkItem
from app.engine.runtime import ready_user_tasks
from app.engine.validation import validate_documents
from app.petitions.catalog import STATUSES
from app.process_starts.operations import start_process
from app.tasks.operations import complete_task
from app.tasks.queries import inbox

from .conftest import user
from .test_designer_commands import run
from .test_process_starts import instance_data

CAMUNDA = ROOT / "tests" / "fixtures" / "external" / "camunda"
FIXTURES = sorted(CAMUNDA.glob("*.bpmn"))
FORMS = FormRegistry.from_directory(CAMUNDA / "forms")
CAMUNDA_NS = "{http://camunda.org/schema/1.0/bpmn}"
DELEGATES = ("class", "delegateExpression", "expression", "type")
RUNNABLE = {
    "process-engine-plugin_bpmn-parse-listener_bpmnParseListenerOnUserTask.bpmn": {},
    "spring-boot-starter_example-webapp-ee_sample.bpmn": {},
    "usertask_task-camunda-forms_invoiceApproval.bpmn": {"approved": True},
    "usertask_task-form-generated_loanApproval.bpmn": {"approved": True},
}
# The first reason each other example is refused for: (element, words of the message).
REFUSED = {
    "bpmn-model-api_parse-bpmn_process.bpmn": ("serviceTask", "camunda:expression"),
    "clients_java_order-handling_order-handling.bpmn": ("Task_06z99p1", "external task workers are not supported"),
    "deployment_embedded-spring-rest_loanApproval.bpmn": ("ServiceTask_1", "camunda:delegateExpression"),
    "deployment_servlet-pa_exampleProcess.bpmn": ("ServiceTask_1", "is a Java delegate"),
    "deployment_spring-servlet-pa-tomcat_SpringExpressionResolvingTest.testResolveBean.bpmn": (
        "servicetask1",
        "camunda:expression '${exampleBean.invoke()}' calls Java",
    ),
    "migration_migrate-on-deployment_exampleProcess.bpmn": ("UserTask_14494ua", "camunda:assignee '${initiator}'"),
    "multi-tenancy_schema-isolation_tenant2_process.bpmn": ("ServiceTask_0pwqvlr", "'#{simpleServiceTask}'"),
    "multi-tenancy_tenant-identifier-shared-definitions_mainProcess.bpmn": (
        "CallActivity_0ahffuc",
        "called process 'subProcess' is neither in the files given nor deployed",
    ),
    "pakn-saved-by-camunda-modeler.bpmn": ("classify", "no form with this id"),  # these forms only: see below
    "process-engine-plugin_custom-history-level_process.bpmn": ("ServiceTask_1", "is a Java delegate"),
    "process-engine-plugin_failed-job-retry-profile_retry-example.bpmn": ("service-fetch-data", "Java delegate"),
    "quarkus-extension_datasource-example_process.bpmn": ("Activity_148bip1", "names a Java bean"),
    "scripttask_xslt-scripttask_xslt-example.bpmn": ("StartEvent_1", "camunda:executionListener"),
    "servicetask_rest-service_invokeRestService.bpmn": ("ServiceTask_1", "script in 'Javascript'"),
    "spin_dataformat-configuration-global_testProcess.bpmn": ("ScriptTask_1", "script format 'javascript'"),
    "spring-boot-starter_example-twitter_TwitterDemoProcess.bpmn": (
        "no",
        "conditionExpression '#{!approved}' is a JUEL expression (Camunda 7), this engine evaluates Python: "
        "write the Python expression not approved",
    ),
    "spring-boot-starter_external-task-client_loan-granting-spring-boot-webapp_loan-granting.bpmn": (
        "Task_1lvjtd4",
        "camunda:type 'external' (topic 'creditScoreChecker')",
    ),
    "testing_assert_job-announcement-publication-process_camunda-testing-job-announcement-publication.bpmn": (
        "publish_announcement_website",
        "camunda:expression '#{jobAnnouncementService.postToWebsite(jobAnnouncementId)}' calls Java",
    ),
    "usertask_task-form-embedded-react_react-example.bpmn": (
        "SequenceFlow_1qyrk3u",
        "'${not approved}' is a JUEL expression (Camunda 7), this engine evaluates Python: write the Python "
        "expression not approved",
    ),
}


def documents(path):
    return {path.name: path.read_bytes()}


def delegates(path) -> list[tuple[str, str]]:
    """(element id, camunda attribute) of every Java delegate or external task the file names."""
    root = etree.parse(str(path)).getroot()
    found = []
    for el in root.iter():
        for attr in DELEGATES:
            value = el.get(CAMUNDA_NS + attr) if isinstance(el.tag, str) else None
            if value and not (attr == "expression" and etree.QName(el).localname == "messageEventDefinition"):
                found.append((el.get("id"), attr))
    return found


def test_the_sample_holds_runnable_refused_java_and_juel_examples():
    assert len(FIXTURES) == 23 and set(RUNNABLE) | set(REFUSED) == {p.name for p in FIXTURES}
    assert sum(1 for p in FIXTURES if delegates(p)) == 12
    assert sum(1 for p in FIXTURES if b"${" in p.read_bytes() or b"#{" in p.read_bytes()) >= 12


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_validate_accepts_what_runs_and_refuses_the_rest_naming_the_element(path):
    problems = validate_documents(documents(path), statuses=STATUSES, forms=FORMS)
    if path.name in RUNNABLE:
        assert problems == []
        return
    element, words = REFUSED[path.name]
    assert any(p.element == element and words in p.message for p in problems), "\n".join(map(str, problems))
    assert all(p.file == path.name for p in problems)


@pytest.mark.parametrize("path", [p for p in FIXTURES if delegates(p)], ids=lambda p: p.stem)
def test_every_java_delegate_and_external_task_is_refused_by_name(path):
    problems = validate_documents(documents(path), statuses=STATUSES, forms=FORMS)
    for element, attr in delegates(path):
        assert any(p.element == element and f"camunda:{attr}" in p.message for p in problems), (element, attr)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_what_validate_accepts_deploy_deploys_and_what_it_refuses_deploy_refuses_alike(session, path):
    problems = validate_documents(
        documents(path), statuses=STATUSES, forms=FORMS, deployed=deployed_process_keys(session)
    )
    if problems:
        with pytest.raises(DeploymentRefused) as refused:
            deploy(session, documents(path), forms=FORMS, statuses=STATUSES)
        assert refused.value.problems == problems
    else:
        results = deploy(session, documents(path), forms=FORMS, statuses=STATUSES)
        assert results and all(r.created for r in results)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_example_renders(path):
    diagrams = render_diagrams(path.read_bytes(), file_name=path.name)
    assert diagrams and all(d.svg.startswith("<svg") for d in diagrams)


def run_to_the_end(session, definition, values: dict) -> list[str]:
    """Start an instance, complete each user task with `values` until it ends; the tasks done, in order."""
    running = start_instance(session, definition, f"test-{definition.process_key}", {}, functions={})
    save(session, running, actor="test")
    done = []
    while tasks := ready_user_tasks(running.workflow):
        done.append(tasks[0].task_spec.bpmn_id)
        complete_user_task(running, str(tasks[0].id), values)
        save(session, running, actor="test", completed_task_id=str(tasks[0].id))
    assert running.row.status == "completed"
    return done


@pytest.mark.parametrize("name", sorted(RUNNABLE))
def test_a_runnable_example_runs_a_full_instance(session, name):
    (result,) = deploy(session, documents(CAMUNDA / name), forms=FORMS, statuses=STATUSES)
    done = run_to_the_end(session, result.definition, RUNNABLE[name])
    expected = {
        "process-engine-plugin_bpmn-parse-listener_bpmnParseListenerOnUserTask.bpmn": ["Task_1i9jsnp", "Task_01v3a6u"],
        "spring-boot-starter_example-webapp-ee_sample.bpmn": ["UserTask_1"],
        "usertask_task-camunda-forms_invoiceApproval.bpmn": ["UserTask_1"],
        "usertask_task-form-generated_loanApproval.bpmn": ["UserTask_1"],
    }
    assert done == expected[name]


def test_a_process_calling_a_deployed_process_deploys_and_runs_through_it(session):
    sample = (CAMUNDA / "spring-boot-starter_example-webapp-ee_sample.bpmn").read_text(encoding="utf-8")
    called = sample.replace('id="Sample"', 'id="subProcess"').replace(
        'bpmnElement="Sample"', 'bpmnElement="subProcess"'
    )
    main_file = CAMUNDA / "multi-tenancy_tenant-identifier-shared-definitions_mainProcess.bpmn"
    tenant = ' camunda:calledElementTenantId="${ calledElementTenantIdProvider.resolveTenantId(execution) }"'
    main = {"main.bpmn": main_file.read_text(encoding="utf-8").replace(tenant, "").encode()}
    assert any("is neither in the files given nor deployed" in str(p) for p in validate_documents(main, forms=FORMS))
    deploy(session, {"sub.bpmn": called.encode()}, forms=FORMS)
    (result,) = deploy(session, main, forms=FORMS)
    assert run_to_the_end(session, result.definition, {}) == ["UserTask_1"]


def test_validate_names_file_line_and_element_of_a_java_delegate():
    path = CAMUNDA / "deployment_servlet-pa_exampleProcess.bpmn"
    result = run("validate", str(path))
    assert result.returncode == 1
    assert result.stderr == (
        f"{path}:7: ServiceTask_1: camunda:class 'org.camunda.bpm.platform.example.servlet.ExampleServiceTask' is a "
        "Java delegate: this engine runs no Java: use a script task (Python) or a user task\n"
    )


GENERATED = CAMUNDA / "usertask_task-form-generated_loanApproval.bpmn"
LOAN_REQUEST = {"firstname": "Lan", "lastname": "Nguyễn", "netIncome": "12000000", "loanAmount": "500000000",
                "loanType": "mortage"}  # fmt: skip


def test_camundas_generated_forms_example_keeps_the_request_through_the_approval(session):
    """Camunda's usertask/task-form-generated: the start form asks for the request, the approver sees it read-only
    (a browser sends the readonly fields as shown, a forged request other values): the request is kept."""
    deploy(session, documents(GENERATED), forms=FORMS, statuses=STATUSES)
    session.commit()
    demo = User(username="demo", full_name="Demo", role="handler", email="demo@example.vn")  # the model's assignee
    demo.set_password("Mat khau demo 1")
    session.add(demo)
    session.commit()
    started = start_process(session, user(session, "admin"), "generatedFormsQuickstart", LOAN_REQUEST)
    item = session.scalar(select(WorkItem).where(WorkItem.instance_id == started.instance_id))
    assert (item.bpmn_id, item.assignee) == ("UserTask_1", "demo") and item in inbox(session, demo)
    forged = {"approved": "true", "firstname": "Mallory", "netIncome": "1", "loanType": "cashAdvance"}
    complete_task(session, user(session, "demo"), item.id, forged)
    data = instance_data(session, started.instance_id)
    kept = {key: data[key] for key in LOAN_REQUEST}
    assert kept == {**LOAN_REQUEST, "netIncome": 12000000, "loanAmount": 500000000} and data["approved"] is True
    assert session.get(ProcessInstance, started.instance_id).status == "completed"


def test_every_external_file_has_its_origin_and_licence_noted():
    external = CAMUNDA.parent
    for folder in (CAMUNDA, external / "miwg"):
        readme = (folder / "README.md").read_text(encoding="utf-8")
        assert "Licen" in readme and "https://github.com/" in readme and "commit" in readme, folder
        for path in folder.rglob("*"):
            if path.is_file() and path.name not in ("README.md", "NOTICE"):
                assert path.name in readme or path.stem in readme, path
    assert (CAMUNDA / "NOTICE").read_text(encoding="utf-8").startswith("Camunda\nCopyright")
    assert "camunda/" in (external / "README.md").read_text(encoding="utf-8")
