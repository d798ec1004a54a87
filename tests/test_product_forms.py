"""The product's own task forms (forms/*.form, Camunda Forms): valid, referenced by the model, translated, and
carrying the rules the law implies: a reason to reject or return, a lead agency to forward, an answer to approve."""

import json

import pytest
from babel.messages.pofile import read_po
from lxml import etree
from werkzeug.datastructures import MultiDict

from app.camunda_forms import FormRegistry, check_form, submit, with_data
from app.config import ROOT
from app.errors import FormInvalid

from .conftest import act
from .conftest import submit as submit_petition

FORMS = ROOT / "forms"
PO = ROOT / "app" / "web" / "translations" / "en" / "LC_MESSAGES"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
AGENCIES = {"agency_options": [{"label": "Sở Xây dựng tỉnh Quảng Ngãi", "value": "QNG-SXD"}]}


@pytest.fixture(scope="module")
def forms():
    registry = FormRegistry.from_directory(FORMS)
    return {form.id: form for form in (registry.find(form_ref=p.stem) for p in FORMS.glob("*.form"))}


def refused(form, raw: dict, context=None) -> dict[str, str]:
    context = {**AGENCIES, **(context or {})}
    with pytest.raises(FormInvalid) as invalid:
        submit(with_data(form, context), MultiDict(raw), context)
    return invalid.value.by_field()


def test_every_product_form_is_valid_and_every_user_task_names_one(forms):
    assert len(forms) == 10
    for form in forms.values():
        assert check_form(form) == [], form.file_name
        assert form.spec["executionPlatform"] == "Camunda Platform"  # opens in Camunda Modeler's form editor
    models = ("pakn.bpmn", "clarification.bpmn")
    tasks = [t for m in models for t in etree.parse(str(ROOT / "processes" / m)).iter("{*}userTask")]
    refs = {t.get("id"): t.get(f"{CAMUNDA}formRef") for t in tasks}
    assert all(refs.values()) and set(refs.values()) == set(forms), refs


def test_a_reason_to_reject_ask_or_return(forms):
    for decision in ("reject", "request_info", "state_secret"):
        assert set(refused(forms["pakn-classify"], {"decision": decision})) == {"reason"}
    assert set(refused(forms["pakn-leader-approve"], {"leader_decision": "return"})) == {"leader_note"}
    assert set(refused(forms["pakn-review"], {"review_decision": "return"})) == {"return_reason"}


def test_a_reason_to_transfer_or_escalate_and_a_lead_and_directive_from_the_chair(forms):
    handle, leader = forms["pakn-handle"], forms["pakn-leader-approve"]
    assert set(refused(handle, {"action": "transfer", "transfer_kind": "parent"})) == {"transfer_reason"}
    assert set(refused(handle, {"action": "escalate"})) == {"escalation_reason"}
    assert set(refused(leader, {"leader_decision": "escalate"})) == {"escalation_reason"}
    assert set(refused(forms["pakn-chair-decide"], {"chair_decision": "assign"})) == {"chair_lead", "directive"}


def test_a_lead_agency_to_forward_and_only_a_listed_one(forms):
    classify = forms["pakn-classify"]
    assert set(refused(classify, {"decision": "forward"})) == {"lead_agency"}
    assert set(refused(classify, {"decision": "forward", "lead_agency": "KHONG-CO"})) == {"lead_agency"}
    values = submit(with_data(classify, AGENCIES), MultiDict({"decision": "forward", "lead_agency": "QNG-SXD"}))
    assert values == {"decision": "forward", "lead_agency": "QNG-SXD", "co_agencies": []}  # no reason asked


def test_an_answer_to_approve(forms):
    leader = forms["pakn-leader-approve"]
    assert set(refused(leader, {"leader_decision": "approve", "answer": "  "})) == {"answer"}
    values = submit(leader, MultiDict({"leader_decision": "approve", "answer": "Đã xử lý."}))
    assert values == {"leader_decision": "approve", "answer": "Đã xử lý."}
    assert set(refused(forms["pakn-handle"], {"action": "answer"})) == {"answer"}


def test_every_text_of_the_product_forms_has_an_english_translation(forms):
    catalogue = {}
    for path in sorted(PO.glob("*.po")):
        with path.open("rb") as handle:
            catalogue.update({m.id: m.string for m in read_po(handle) if m.id})
    texts = set()
    for path in FORMS.glob("*.form"):
        stack = list(json.loads(path.read_text(encoding="utf-8"))["components"])
        while stack:
            c = stack.pop()
            texts |= {c[k] for k in ("label", "description", "text") if c.get(k)}
            texts |= {v["label"] for v in c.get("values") or []}
            stack.extend(c.get("components") or [])
    missing = sorted(t for t in texts if not catalogue.get(t))
    assert missing == []


def test_the_leader_may_edit_the_answer_before_approving(session):
    petition = submit_petition(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", petition, "handle", action="answer", answer="Bản dự thảo.")
    act(session, "leader", petition, "leader_approve", leader_decision="approve", answer="Bản đã sửa.")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Tóm tắt.")
    assert petition.answer == "Bản đã sửa." and petition.published_at is not None
