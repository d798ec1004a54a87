"""The functions PAKN models call stay one class for the engine (app/petitions/case_functions.py CaseFunctions),
split by domain into small modules: deadlines, messages, who handles the case (style: a file past ~400 lines is
two concerns)."""

from sqlalchemy import select

from app.config import ROOT
from app.petitions.case_functions import CaseFunctions
from app.petitions.models import CaseDeadline

from .conftest import submit

# What a model's scripts and expressions may call (processes/*.bpmn): the split changes none of it.
MODEL_FUNCTIONS = {
    "deadline", "due", "reminder", "remind", "notify_sender", "assign_agency", "mark_overdue", "step_done",
    "step_not_applicable", "stop_clock", "consult", "transfer", "escalate", "escalate_repeat", "close_as_duplicate",
    "may_ask_sender", "ask_sender", "chair_assigns", "mark_state_secret", "publish_result", "clarify",
}  # fmt: skip


def test_the_case_functions_modules_stay_under_400_lines():
    modules = sorted((ROOT / "app" / "petitions").glob("case_*.py"))
    lengths = {m.stem: len(m.read_text(encoding="utf-8").splitlines()) for m in modules}
    assert sorted(lengths) == ["case_deadlines", "case_functions", "case_messages", "case_routing"]
    assert max(lengths.values()) <= 400, lengths


def test_a_case_offers_its_model_the_same_functions_bound_to_it(session):
    petition = submit(session)
    functions = CaseFunctions(session, petition).functions()
    assert set(functions) == MODEL_FUNCTIONS
    assert all(f.__self__.petition is petition for f in functions.values())
    stored = select(CaseDeadline.due_at).where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == "forward")
    assert functions["due"]("forward") == session.scalar(stored) is not None  # the run the submission started
