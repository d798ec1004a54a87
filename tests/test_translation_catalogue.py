"""One translation catalogue: every text the code, the templates, the product's forms and its model show has its
Vietnamese (the msgid) and one English in messages.po, and nothing stays there that nothing uses."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.accounts.models import ROLES
from app.config import ROOT
from app.errors import FieldError, FormInvalid
from app.petitions.catalog import STATUSES, STEPS
from app.petitions.validation import LABELS
from app.translation import CATALOGUE, translate, translations

from .conftest import valid_submission
from .web import csrf_token

PO = CATALOGUE / "en" / "LC_MESSAGES" / "messages.po"
# The keywords `pybabel extract -k lazy_gettext -k lazy_pgettext:1c,2` adds to Babel's own.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
# Entries kept although no code names them (none today): add one here with the reason, or delete it.
ALLOWED_UNUSED: set[tuple[str | None, str]] = set()


@pytest.fixture(scope="module")
def used() -> set[tuple[str | None, str]]:
    """(context, msgid) of every text, extracted as `pybabel extract -F app/web/translations/babel.cfg` does."""
    with (CATALOGUE / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.add((context, msgid))
    return found


@pytest.fixture(scope="module")
def english() -> dict[tuple[str | None, str], str]:
    with PO.open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id and not m.fuzzy]
    # a text with a number (ngettext) is kept by its singular, translated when every plural form is
    return {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id): (
            m.string if isinstance(m.string, str) else (m.string[0] if all(m.string) else "")
        )
        for m in messages
    }


def test_every_text_in_code_templates_forms_and_models_has_vietnamese_and_english(used, english):
    assert len(used) > 500  # the extraction really read the tree
    assert sorted((c, m) for c, m in used if not m.strip()) == []  # a Vietnamese text for each
    missing = sorted((c or "", m) for c, m in used if not english.get((c, m)))
    assert missing == [], "run pybabel extract and update (README), then write their English:\n" + "\n".join(
        f"{c} | {m}" for c, m in missing
    )


def test_the_catalogue_keeps_no_entry_that_nothing_uses(used, english):
    unused = sorted((c or "", m) for c, m in set(english) - used - ALLOWED_UNUSED)
    assert unused == [], "run pybabel extract and update (README) to drop:\n" + "\n".join(
        f"{c} | {m}" for c, m in unused
    )


def test_one_catalogue_file_per_language_and_no_text_translated_twice():
    assert sorted(p.name for p in CATALOGUE.glob("*/LC_MESSAGES/*.po")) == ["messages.po"]
    keys = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"$', PO.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(keys) == len(set(keys))


def test_a_field_error_is_rendered_in_the_language_asked_without_a_request():
    error = FieldError("title", "required", {"label": LABELS["title"]})
    assert error.message() == "«Tiêu đề» là bắt buộc."
    assert error.message("en") == "“Title” is required."
    from_a_form = FieldError("reason", "minlength", {"label": "Lý do", "limit": 10})  # a label from a .form file
    assert FormInvalid([from_a_form]).by_field("en") == {"reason": "“Reason” needs at least 10 characters."}


def test_english_portal_errors_name_the_field_in_english(client):
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client, "/gui-phan-anh"), "next": "/"})
    data = {k: v for k, v in valid_submission().items() if k != "channel"}
    data.update(csrf_token=csrf_token(client, "/gui-phan-anh"), title="")
    page = client.post("/gui-phan-anh", data=data).data.decode()
    assert "“Title” is required." in page and "Tiêu đề" not in page


def test_one_vietnamese_word_in_two_places_gets_the_english_of_each_place():
    assert ROLES["admin"].translate("en") == "Administrator"  # a role
    assert translate("Quản trị", "en") == "Administration"  # the area of the menu
    assert STATUSES["rejected"][0].translate("en") == "Rejected"  # where a petition stands
    assert STEPS["reject"].translate("en") == "Rejection"  # a step with a deadline
    assert translations("en").pgettext("admin area", "Tài khoản") == "Accounts"
    assert translate("Tài khoản", "en") == "Account"


def test_each_deadline_step_has_one_name_the_legal_texts_use(app):
    assert {code: name.translate("vi") for code, name in STEPS.items()}["answer"] == "Xử lý, trả lời"
    with app.test_request_context():
        processors = {}
        for processor in app.template_context_processors[None]:
            processors.update(processor())
        assert processors["step_label"]("answer") == "Xử lý, trả lời"


def test_status_rows_are_seeded_from_the_catalogue(session):
    from app.petitions.models import PetitionStatus  # noqa: PLC0415

    row = session.get(PetitionStatus, "rejected")
    assert (row.label_vi, row.label_en) == ("Từ chối tiếp nhận", "Rejected")


def test_the_catalogue_compiles_and_loads_without_flask(tmp_path):
    from app.translation import compile_catalogue  # noqa: PLC0415

    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes(PO.read_bytes())
    compile_catalogue(tmp_path)
    assert (folder / "messages.mo").stat().st_size > 0
    assert translations("en").gettext("Đăng nhập") == "Log in"
    assert translations("vi").gettext("Đăng nhập") == "Đăng nhập"
    assert Path(CATALOGUE / "messages.pot").exists()
