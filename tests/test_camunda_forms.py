"""Camunda Forms (form-js .form files): loading, deploy checks, FEEL conditions, rendering, typed submission."""

import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from app.attachments.files import Upload
from app.camunda_forms import FormRegistry, check_form, load_form, render, submit
from app.camunda_forms.feel import FeelSyntaxError, check, evaluate, is_true, names
from app.config import ROOT, Config
from app.engine.deployment import DeploymentRefused, deploy
from app.engine.validation import validate_documents
from app.errors import FormInvalid

from .conftest import PROCESSES

FORMS = Path(__file__).parent / "fixtures" / "forms"
JS = ROOT / "app" / "web" / "static" / "camunda-forms.js"
# the product's model without its own form references, so that each test names the forms it needs
PAKN = re.sub(r' camunda:formRef(?:Binding)?="[^"]*"', "", (PROCESSES / "pakn.bpmn").read_text(encoding="utf-8"))
CLASSIFY = '<bpmn:userTask id="classify" name="Phân loại PAKN"'
PDF = b"%PDF-1.7\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 16


@pytest.fixture(scope="module")
def registry():
    return FormRegistry.from_directory(FORMS)


@pytest.fixture(scope="module")
def everything(registry):
    return registry.by_id("all-components")


@pytest.fixture(scope="module")
def classify(registry):
    return registry.by_id("classify-conditional")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def forms_dir(tmp_path, *names) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FORMS / name, folder / name)
    return folder


def pakn_with(attribute: str) -> dict[str, bytes]:
    """processes/pakn.bpmn whose classification task carries `attribute` (formRef / formKey)."""
    assert PAKN.count(CLASSIFY) == 1
    return {"processes/pakn.bpmn": PAKN.replace(CLASSIFY, f"{CLASSIFY} {attribute}").encode("utf-8")}


def valid_everything(**changes) -> MultiDict:
    data = {
        "reason": "Nội dung không thuộc thẩm quyền",
        "email": "an@example.vn",
        "phone": "0912 345 678",
        "code": "KT-123",
        "ref_no": "12",
        "note": "",
        "amount": "12.50",
        "days": "10",
        "exact": "1234567890.123456789",
        "due_date": "2099-01-02",
        "meeting_time": "09:30",
        "visit_at": "2099-01-02T08:00",
        "confirmed": "true",
        "channels": ["email", "portal"],
        "decision": "reject",
        "lead_agency": "",
        "tags": ["dat-dai", "xay-dung"],
        "address.street": "Lê Lợi",
        "tracking_code": "GIA-MAO",
        "province": "lai-chau",
    }
    data.update(changes)
    return MultiDict([(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])])


def refusal(form, raw, context=None, **kwargs) -> FormInvalid:
    with pytest.raises(FormInvalid) as refused:
        submit(form, raw, context, **kwargs)
    return refused.value


def block(html: str, key: str) -> str:
    """The HTML of one field's wrapper."""
    match = re.search(rf'<div class="cf-component[^"]*"[^>]*data-cf-key="{re.escape(key)}".*?</div>', html, re.S)
    assert match, f"no field {key}"
    return match.group(0)


# ---------------------------------------------------------------------------------------------------- FEEL

DATA = {"a": 5, "s": "xin chào", "b": None, "l": ["x", "y"], "p": {"q": 3}, "ok": True}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("=a > 3", True),
        ("=a >= 5 and a <= 5", True),
        ("=a != 5", False),
        ('=s = "xin chào"', True),
        ("=p.q + 1 = 4", True),
        ("=a * 2 - 1 = 9", True),
        ("=a / 2 = 2.5", True),
        ("=ok", True),
        ("=not(ok)", False),
        ("=(a > 3 or a < 0) and ok", True),
        ("=is defined(a)", True),
        ("=is defined(nothing)", False),
        ("=string length(s)", 8),
        ("=count(l)", 2),
        ('=list contains(l, "y")', True),
        ('=list contains(["reject", "forward"], "forward")', True),
        ('=contains(s, "chào")', True),
        ('=starts with(s, "xin")', True),
        ('=ends with(s, "xin")', False),
        ("=-a < 0", True),
        ("=.5 < 1", True),
        ("=[1, 2] = [1, 2]", True),
        ("=missing.deep.path", None),
    ],
)
def test_feel_evaluates_literals_paths_comparisons_logic_and_functions(expression, expected):
    assert evaluate(expression, DATA) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("=b > 3", None),  # ordering with null is null
        ("=nothing < 3", None),  # a missing name is null
        ("=b = null", True),  # equality treats null as a value
        ("=a = null", False),
        ("=b != null", False),
        ('=a = "5"', None),  # values of different kinds do not compare
        ("=b + 1", None),
        ("=1 / 0", None),
        ("=b > 3 and ok", None),  # three-valued logic
        ("=b > 3 and false", False),
        ("=b > 3 or ok", True),
        ("=not(b)", None),
        ("=string length(a)", None),
    ],
)
def test_feel_null_semantics(expression, expected):
    assert evaluate(expression, DATA) is expected


def test_only_exactly_true_hides():
    assert is_true("=ok", DATA) is True
    for not_true in ("=b > 3", "=s", "=a", "=count(l)", "=b"):
        assert is_true(not_true, DATA) is False, not_true


@pytest.mark.parametrize(
    ("expression", "reason", "position"),
    [
        ("=a >", "expected a value, found end of expression", 5),
        ('=decision = = "reject"', "expected a value, found '='", 13),
        ('="chưa đóng', "unterminated string", 2),
        ("=(a > 1", "expected ')'", 8),
        ("=a > 1 > 2", "comparisons cannot be chained", 8),
        ("=a # b", "unexpected character '#'", 4),
        ("=a > ²", "unexpected character '²'", 6),
        ('=__import__("os")', "unknown function '__import__'", 2),
        ("=list contains(l)", "list contains() takes 2 argument(s), got 1", 2),
        ("=", "empty expression", 2),
        ("decision = 1", "an expression starts with '='", 1),
    ],
)
def test_feel_syntax_errors_name_the_position(expression, reason, position):
    with pytest.raises(FeelSyntaxError) as error:
        check(expression)
    assert error.value.reason.startswith(reason)
    assert error.value.position == position
    assert str(error.value).endswith(f"at position {position}")


def test_feel_names_are_the_variables_a_condition_reads():
    assert names('=decision = "x" and petition.channel != null or count(items) > limit') == {
        "decision",
        "petition",
        "items",
        "limit",
    }


def test_the_browser_evaluates_feel_like_the_server():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    cases = [
        ("=a > 3", DATA),
        ("=b > 3", DATA),
        ("=b = null", DATA),
        ('=a = "5"', DATA),
        ("=b > 3 or ok", DATA),
        ("=b > 3 and ok", DATA),
        ("=not(ok)", DATA),
        ("=p.q + 1 = 4", DATA),
        ("=is defined(b)", DATA),
        ("=string length(s)", DATA),
        ('=list contains(l, "y")', DATA),
        ('=starts with(s, "xin")', DATA),
        ("=1 / 0", DATA),
        ("=missing.x = null", DATA),
        ('=decision != "reject"', {"decision": "reject"}),
        ('=decision != "reject"', {}),
        ("=amount >= 1000.5", {"amount": 1000.5}),
        ("=[1, 2] = [1, 2]", {}),
    ]
    script = (
        "global.window = {}; global.document = {readyState: 'complete', querySelectorAll: () => []};"
        f"require({json.dumps(str(JS))});"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const F = window.CamundaForms;"
        "console.log(JSON.stringify(cases.map(([e, d]) => F.evaluate(F.parse(e.slice(1)), d))));"
    )
    result = subprocess.run(
        [node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, timeout=60, check=True
    )
    browser = json.loads(result.stdout)
    server = [evaluate(expression, data) for expression, data in cases]
    server = [float(v) if isinstance(v, Decimal) else v for v in server]
    assert browser == server


# ---------------------------------------------------------------------------------------------------- loading


def test_forms_are_found_by_form_ref_and_by_camunda_forms_form_key(registry, classify):
    assert registry.find(form_ref="classify-conditional") is classify
    assert registry.find(form_key="camunda-forms:deployment:conditional.form") is classify
    assert registry.find(form_key="camunda-forms:app:forms/conditional.form") is classify
    assert registry.find(form_ref="nope") is None
    assert registry.find(form_key="camunda-forms:deployment:nope.form") is None
    assert registry.find(form_key="embedded:app:forms/conditional.html") is None
    task = SimpleNamespace(extensions={"form_ref": None, "form_key": "camunda-forms:deployment:conditional.form"})
    assert registry.for_task(task) is classify
    assert registry.for_task(SimpleNamespace(extensions={"form_ref": None, "form_key": None})) is None


def test_components_know_their_line_in_the_file(everything):
    path = FORMS / "all-components.form"
    street = next(c for c in everything.walk() if c.key == "address.street")
    assert street.line == line_of(path, '"key": "address.street"')
    reason = next(c for c in everything.walk() if c.key == "reason")
    assert reason.line == line_of(path, '"label": "Lý do"') - 1


# ---------------------------------------------------------------------------------------------------- checks


def test_forms_as_camunda_modeler_writes_them_pass_every_check(registry, everything, classify):
    assert registry.problems_of(everything) == []
    assert registry.problems_of(classify) == []
    assert {c.type for c in everything.walk()} == {
        "text",
        "textfield",
        "textarea",
        "number",
        "datetime",
        "checkbox",
        "checklist",
        "radio",
        "select",
        "taglist",
        "group",
        "separator",
        "spacer",
        "filepicker",
    }


def test_schema_violations_name_file_line_and_component(registry):
    path = FORMS / "broken-schema.form"
    found = {str(p) for p in registry.problems if p.file == str(path)}
    nokey = line_of(path, '"label": "Không có key"') - 1  # the component's "{"
    wide = line_of(path, '"columns": 20')  # the object holding the wrong value
    num = line_of(path, '"validate": { "pattern"')
    assert found == {
        f"{path}:{nokey}: component Field_nokey: form-js schema: 'key' is a required property",
        f"{path}:{wide}: component wide: form-js schema: layout.columns: 20 is greater than the maximum of 16",
        f"{path}:{num}: component num: form-js schema: key 'pattern' is not allowed in validate",
    }


def test_unsupported_types_keys_expressions_and_feel_errors_are_named(registry):
    path = FORMS / "unsupported.form"
    found = [str(p) for p in registry.problems if p.file == str(path)]
    at = {key: line_of(path, needle) - 1 for key, needle in [("list", "Danh sách động"), ("agency", '"Cơ quan"')]}
    assert f"{path}:{at['list']}: component List_1: component type 'dynamiclist' is not supported" in found
    assert f"{path}:{at['agency']}: component agency: key 'valuesExpression' is not supported on a select" in found
    expected_tails = [
        "component reason: conditional.hide: FEEL syntax error: expected a value, found '=' at position 13",
        "component ro: readonly: expressions are not supported, only true or false",
        "component Text_hello: text: templates ({{ … }}) are not supported, only static text",
        "component code: validate.pattern: not a regular expression this server can use",
    ]
    for tail in expected_tails:
        assert any(tail in line for line in found), tail


def test_form_metadata_is_accepted_and_unknown_form_keys_are_named(tmp_path):
    spec = {
        "$schema": "https://unpkg.com/@camunda/schema@latest/form.json",
        "type": "default",
        "id": "meta",
        "executionPlatform": "Camunda Cloud",
        "executionPlatformVersion": "8.6.0",
        "exporter": {"name": "Camunda Modeler", "version": "5.31.0"},
        "schemaVersion": 16,
        "components": [{"type": "textfield", "key": "a", "label": "A", "id": "F1"}],
    }
    assert check_form(load_form(json.dumps(spec), "meta.form")) == []
    spec["theme"] = "dark"
    spec["components"][0]["prefill"] = True
    text = json.dumps(spec, indent=1)
    component_line = next(n for n, line in enumerate(text.splitlines()) if '"type": "textfield"' in line)  # "{" above
    assert [str(p) for p in check_form(load_form(text, "meta.form"))] == [
        "meta.form:1: -: key 'theme' is not supported",
        f"meta.form:{component_line}: component a: key 'prefill' is not supported on a textfield",
    ]


def test_a_file_that_is_not_json_is_named_with_its_line(registry):
    path = FORMS / "not-json.form"
    assert [str(p) for p in registry.problems if p.file == str(path)] == [f"{path}:4: -: not JSON: Expecting value"]


def test_a_key_used_twice_is_named():
    spec = {
        "type": "default",
        "components": [{"type": "textfield", "key": "a", "label": "A"}, {"type": "textarea", "key": "a", "label": "B"}],
    }
    assert [p.message for p in check_form(load_form(json.dumps(spec), "x.form"))] == [
        "key already used by another field"
    ]


# ---------------------------------------------------------------------------------------------------- rendering


def test_every_component_is_rendered_with_label_description_marks_and_layout(everything):
    html = str(render(everything, {"tracking_code": "7QX4-M9PA", "province": "kon-tum"}))
    assert html.startswith('<div class="camunda-form" data-cf-form="all-components"')
    reason = block(html, "reason")
    assert "cf-span-10" in reason and "cf-span-6" in block(html, "email")  # one row: 10 + 6 of 16 columns
    assert re.search(r'<label for="cf-reason">Lý do <span class="required-mark"', reason)
    assert '<p class="hint" id="cf-reason-desc">Ít nhất 10 ký tự</p>' in reason
    assert 'required minlength="10" maxlength="200"' in reason
    assert "cf-span-8" in block(html, "phone") and "cf-span-8" in block(html, "code")  # two automatic columns
    assert "<h2>Xử lý PAKN</h2>" in html and "<strong>nội dung</strong>" in html and "<script" not in html
    assert 'type="number" inputmode="decimal" min="0" max="1000" step="0.01"' in block(html, "amount")
    assert 'step="5"' in block(html, "days") and 'step="any"' in block(html, "exact")
    assert 'type="date"' in block(html, "due_date") and 'min="' in block(html, "due_date")
    assert 'type="time" step="900"' in block(html, "meeting_time")
    assert 'type="datetime-local"' in block(html, "visit_at")
    assert 'type="tel"' in block(html, "phone") and 'inputmode="email"' in block(html, "email")
    assert '<span class="cf-adorner">Số</span><input' in block(html, "ref_no")
    assert 'type="checkbox" value="true" required' in block(html, "confirmed")
    assert html.count('name="channels"') == 3 and html.count('<input type="radio"') == 2
    assert '<option value="">— Chọn —</option>' in block(html, "lead_agency")
    assert 'name="tags" multiple' in block(html, "tags")
    assert '<option value="xay-dung" selected>' in block(html, "tags")  # defaultValue without task data
    assert 'name="address.street"' in html and "<legend>Địa chỉ</legend>" in html
    assert '<hr class="cf-separator">' in html and 'style="height: 40px"' in html
    assert 'type="file" accept=".pdf,image/*" multiple' in block(html, "evidence")
    assert 'readonly type="text" value="7QX4-M9PA"' in block(html, "tracking_code")
    province = block(html, "province")
    assert "disabled" in province and '<option value="kon-tum" selected>' in province


def test_the_first_display_shows_task_data_in_the_controls(everything):
    data = {
        "reason": 'Có "dấu nháy" & <thẻ>',
        "amount": 12.5,
        "visit_at": "2026-02-09T20:00Z",
        "meeting_time": "02:30Z",
        "confirmed": True,
        "channels": ["post"],
        "tags": ["moi-truong"],
        "address": {"street": "Trần Hưng Đạo"},
    }
    html = str(render(everything, data))
    assert 'value="Có &#34;dấu nháy&#34; &amp; &lt;thẻ&gt;"' in block(html, "reason")
    assert 'value="12.5"' in block(html, "amount")
    assert 'value="2026-02-10T03:00"' in block(html, "visit_at")  # UTC shown in Vietnam's time
    assert 'value="09:30"' in block(html, "meeting_time")
    assert "checked" in block(html, "confirmed")
    assert re.search(r'value="post" checked', html) and not re.search(r'value="email" checked', html)
    assert '<option value="moi-truong" selected>' in html and '<option value="xay-dung" selected>' not in html
    assert 'value="Trần Hưng Đạo"' in block(html, "address.street")


def test_english_words_and_translated_labels():
    form = load_form(
        json.dumps(
            {
                "type": "default",
                "components": [
                    {
                        "type": "select",
                        "key": "k",
                        "label": "Cơ quan",
                        "values": [{"label": "Sở", "value": "s"}],
                        "validate": {"required": True},
                    },
                ],
            }
        ),
        "x.form",
    )
    html = str(render(form, {}, lang="en", translate={"Cơ quan": "Agency", "Sở": "Department"}.get))
    assert '<label for="cf-k">Agency' in html and "(required)" in html and "— Choose —" in html
    assert ">Department</option>" in html


# ---------------------------------------------------------------------------------------------------- submission


def test_a_valid_submission_gives_typed_values_for_the_task_data(everything):
    context = {"tracking_code": "7QX4-M9PA", "province": "kon-tum", "address": {"city": "Kon Tum"}}
    values = submit(everything, valid_everything(), context)
    assert values == {
        "reason": "Nội dung không thuộc thẩm quyền",
        "email": "an@example.vn",
        "phone": "0912345678",
        "code": "KT-123",
        "ref_no": "12",
        "note": None,
        "amount": 12.5,
        "days": 10,
        "exact": "1234567890.123456789",
        "due_date": "2099-01-02",
        "meeting_time": "09:30+07:00",
        "visit_at": "2099-01-02T01:00Z",
        "confirmed": True,
        "channels": ["email", "portal"],
        "decision": "reject",
        "lead_agency": None,
        "tags": ["dat-dai", "xay-dung"],
        "address": {"city": "Kon Tum", "street": "Lê Lợi", "ward": None},
        "evidence": [],
        "tracking_code": "7QX4-M9PA",  # readonly: the stored value, never the request's
        "province": "kon-tum",  # disabled: the same
    }
    assert type(values["days"]) is int and type(values["amount"]) is float
    json.dumps(values)  # task data must stay JSON


def test_every_rule_is_checked_and_named_once_in_the_forms_order(everything):
    bad = valid_everything(
        reason="ngắn",
        email="an@",
        phone="12345",
        code="kt-1",
        ref_no="không số",
        amount="1.234",
        days="7",
        exact="mười",
        due_date="2020-01-01",
        meeting_time="25:00",
        visit_at="2099-01-02",
        confirmed="",
        channels=["fax"],
        decision="bỏ qua",
        lead_agency="KT-XXX",
        tags=["dat-dai", "khong-co"],
    )
    bad.pop("address.street")
    invalid = refusal(everything, bad)
    assert [(e.field, e.rule) for e in invalid.errors] == [
        ("reason", "minlength"),
        ("email", "email"),
        ("phone", "phone"),
        ("code", "pattern_custom"),
        ("ref_no", "pattern"),
        ("amount", "decimal_digits"),
        ("days", "increment"),
        ("exact", "type_number"),
        ("due_date", "past_date"),
        ("meeting_time", "type_time"),
        ("visit_at", "type_datetime"),
        ("confirmed", "required"),
        ("channels", "enum"),
        ("decision", "enum"),
        ("lead_agency", "enum"),
        ("tags", "enum"),
        ("address.street", "required"),
    ]
    vi, en = invalid.by_field("vi"), invalid.by_field("en")
    assert vi["reason"] == "«Lý do» cần ít nhất 10 ký tự."
    assert en["reason"] == "“Reason” needs at least 10 characters."
    assert vi["code"] == "Mã gồm 2 chữ hoa, gạch ngang, 3 chữ số."
    assert vi["amount"] == "«Kinh phí (triệu đồng)» có tối đa 2 chữ số sau dấu thập phân."
    assert en["days"] == "“Số ngày gia hạn” must be a multiple of 5."
    assert vi["decision"] == "«Kết quả phân loại» phải là một trong: Chuyển xử lý, Từ chối."
    assert vi["confirmed"] == "«Tôi xác nhận nội dung trên là đúng» là bắt buộc."


def test_limits_are_inclusive_and_numbers_keep_their_declared_kind(everything):
    values = submit(everything, valid_everything(amount="1000", days="60", exact="0.1"))
    assert values["amount"] == 1000.0 and type(values["amount"]) is float  # decimalDigits: 2 → float
    assert values["days"] == 60 and values["exact"] == "0.1"
    assert [e.rule for e in refusal(everything, valid_everything(amount="1000.01")).errors] == ["max"]
    assert [e.rule for e in refusal(everything, valid_everything(amount="-1")).errors] == ["min"]
    assert [e.rule for e in refusal(everything, valid_everything(days="0")).errors] == ["min"]


def test_a_pattern_matches_anywhere_like_javascript(everything):
    assert submit(everything, valid_everything(ref_no="số 15"))["ref_no"] == "số 15"  # "\d+" found inside
    assert [e.rule for e in refusal(everything, valid_everything(ref_no="mười lăm")).errors] == ["pattern"]


def test_an_unticked_checkbox_is_false_and_a_required_one_must_be_ticked(everything):
    raw = valid_everything()
    raw.pop("confirmed")
    assert [e.field for e in refusal(everything, raw).errors] == ["confirmed"]
    form = load_form(json.dumps({"type": "default", "components": [{"type": "checkbox", "key": "urgent"}]}), "x")
    assert submit(form, MultiDict()) == {"urgent": False}
    assert submit(form, MultiDict({"urgent": "true"})) == {"urgent": True}


def test_file_pickers_check_type_size_count_and_accept_then_store(everything):
    stored = []

    def store(key, uploads):
        stored.append((key, [u.file_name for u in uploads]))
        return [f"att-{n}" for n, _ in enumerate(uploads)]

    files = MultiDict([("evidence", Upload("quyet-dinh.pdf", PDF)), ("evidence", Upload("anh.png", PNG))])
    values = submit(everything, valid_everything(), files=files, store_files=store)
    assert values["evidence"] == ["att-0", "att-1"]
    assert stored == [("evidence", ["quyet-dinh.pdf", "anh.png"])]
    video = MultiDict([("evidence", Upload("clip.mp4", MP4))])
    invalid = refusal(everything, valid_everything(), files=video, store_files=store)
    assert [(e.field, e.rule) for e in invalid.errors] == [("evidence", "file_accept")]
    program = MultiDict([("evidence", Upload("virus.pdf", b"MZ\x90\x00"))])
    assert [e.rule for e in refusal(everything, valid_everything(), files=program).errors] == ["file_type"]
    assert len(stored) == 1  # nothing stored for a refused submission
    one = load_form(
        json.dumps(
            {
                "type": "default",
                "components": [
                    {"type": "filepicker", "key": "scan", "label": "Bản quét", "validate": {"required": True}}
                ],
            }
        ),
        "x",
    )
    assert [e.rule for e in refusal(one, MultiDict(), files=MultiDict()).errors] == ["required"]
    two = MultiDict([("scan", Upload("a.pdf", PDF)), ("scan", Upload("b.pdf", PDF))])
    assert [e.rule for e in refusal(one, MultiDict(), files=two).errors] == ["max_files"]


# ---------------------------------------------------------------------------------------------------- conditions


def test_hidden_fields_are_neither_checked_nor_submitted(classify):
    raw = MultiDict({"decision": "forward", "reason": "x", "lead_agency": "KT-SXD", "forward_note": "gấp"})
    values = submit(classify, raw, {"priority": 5, "channel": "portal"})
    assert values == {
        "decision": "forward",
        "lead_agency": "KT-SXD",
        "co_count": None,
        "forward_note": "gấp",
        "urgent": False,
    }
    # "reason" (too short, but hidden) is neither refused nor returned; "info_needed" (required, hidden) neither.


def test_a_shown_field_is_checked(classify):
    invalid = refusal(classify, MultiDict({"decision": "reject", "reason": "ngắn"}), {"priority": 5})
    assert [(e.field, e.rule) for e in invalid.errors] == [("reason", "minlength")]
    invalid = refusal(classify, MultiDict({"decision": "request_info"}), {"channel": "portal"})
    assert [e.field for e in invalid.errors] == ["info_needed"]


def test_conditions_read_the_task_data_and_null_never_hides(classify):
    raw = MultiDict({"decision": "reject", "reason": "Trùng với PAKN đã trả lời", "urgent": "true"})
    assert submit(classify, raw, {"priority": None})["urgent"] is True  # priority < 3 is null: shown
    assert "urgent" not in submit(classify, raw, {"priority": 1})  # priority < 3 is true: hidden
    assert submit(classify, raw, {"priority": 3})["urgent"] is True
    letter = submit(classify, MultiDict({"decision": "request_info"}), {"channel": "letter"})
    assert "info_needed" not in letter


def test_a_condition_hides_only_when_it_yields_exactly_true():
    spec = {
        "type": "default",
        "components": [
            {"type": "textfield", "key": "note", "label": "Ghi chú"},
            {"type": "textfield", "key": "a", "label": "A", "conditional": {"hide": "=note"}},
            {"type": "textfield", "key": "b", "label": "B", "conditional": {"hide": "=count(items)"}},
            {"type": "textfield", "key": "c", "label": "C", "conditional": {"hide": '=note = "ẩn"'}},
            {"type": "textfield", "key": "d", "label": "D", "conditional": {"hide": True}},
        ],
    }
    form = load_form(json.dumps(spec), "x.form")
    assert set(submit(form, MultiDict({"note": "chữ"}), {"items": [1, 2]})) == {"note", "a", "b", "c"}
    assert set(submit(form, MultiDict({"note": "ẩn"}), {"items": [1, 2]})) == {"note", "a", "b"}


def test_a_hidden_group_hides_its_fields_and_later_conditions_no_longer_see_them(classify):
    # lead_agency is sent but its group is hidden: forward_note's "is defined(lead_agency) = false" holds.
    raw = MultiDict({"decision": "reject", "reason": "Trùng với PAKN đã trả lời", "lead_agency": "KT-SXD"})
    values = submit(classify, raw, {"priority": 5})
    assert "lead_agency" not in values and "forward_note" not in values


def test_the_server_decides_visibility_on_the_first_display(classify):
    html = str(render(classify, {"decision": "reject", "priority": 5}))
    assert "hidden" not in block(html, "reason").split(">")[0]
    assert re.search(r'data-cf-type="group" data-cf-hide="=decision != &#34;forward&#34;" hidden', html)
    lead = block(html, "lead_agency")
    assert " hidden" in lead.split(">")[0] and "data-cf-required" in lead and " required" not in lead


def test_a_refused_submission_is_shown_again_with_errors_and_every_input_kept(classify):
    raw = MultiDict({"decision": "forward", "reason": "bản nháp lý do", "co_count": "9"})
    context = {"priority": 1, "channel": "letter", "sender_name": "Nguyễn Văn An"}
    invalid = refusal(classify, raw, context)
    assert [(e.field, e.rule) for e in invalid.errors] == [("lead_agency", "required"), ("co_count", "max")]
    html = str(render(classify, raw, invalid, "vi", context=context))
    lead, count = block(html, "lead_agency"), block(html, "co_count")
    assert "invalid" in lead and "«Cơ quan chủ trì» là bắt buộc." in lead and 'aria-invalid="true"' in lead
    assert 'value="9"' in count and "«Số cơ quan phối hợp» không được lớn hơn 5." in count
    assert 'value="forward" checked' in html
    reason = block(html, "reason")  # hidden now, its text kept for when the user switches back
    assert ">bản nháp lý do</textarea>" in reason and " hidden" in reason.split(">")[0]
    assert "data-cf-required" in reason and " required" not in reason
    english = str(render(classify, raw, invalid, "en", context=context))
    assert "“Cơ quan chủ trì” is required." in english


def test_the_page_gets_only_the_task_data_its_conditions_read(classify):
    html = str(render(classify, {"decision": "reject", "priority": 2, "channel": "letter", "sender_name": "An"}))
    context = re.search(r'data-cf-context="([^"]*)"', html).group(1).replace("&#34;", '"')
    assert json.loads(context) == {"channel": "letter", "priority": 2}


# ---------------------------------------------------------------------------------------------------- deployment


def test_validate_names_form_problems_and_forms_models_name_but_lack(tmp_path):
    folder = forms_dir(tmp_path, "conditional.form", "broken-schema.form")
    problems = validate_documents(pakn_with('camunda:formRef="phan-loai"'), forms=folder)
    line = PAKN.splitlines().index(next(x for x in PAKN.splitlines() if CLASSIFY in x)) + 1
    assert (
        f"processes/pakn.bpmn:{line}: classify: camunda:formRef 'phan-loai': no form with this id in the forms folder"
        in [str(p) for p in problems]
    )
    assert any(p.file.endswith("broken-schema.form") and p.element == "component wide" for p in problems)
    key = validate_documents(pakn_with('camunda:formKey="camunda-forms:deployment:khong-co.form"'), forms=folder)
    assert any("no khong-co.form in the forms folder" in p.message and p.element == "classify" for p in key)


def test_a_model_naming_forms_that_exist_validates(tmp_path):
    folder = forms_dir(tmp_path, "conditional.form", "all-components.form")
    assert validate_documents(pakn_with('camunda:formRef="classify-conditional"'), forms=folder) == []
    by_key = pakn_with('camunda:formKey="camunda-forms:deployment:all-components.form"')
    assert validate_documents(by_key, forms=folder) == []


def test_validate_checks_the_configured_forms_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.setattr(Config, "forms_dir", forms_dir(tmp_path, "unsupported.form"))
    problems = validate_documents({"processes/pakn.bpmn": PAKN.encode("utf-8")})
    assert any("component type 'dynamiclist' is not supported" in p.message for p in problems)


def test_deploy_refuses_a_model_whose_form_is_missing_or_broken(session, tmp_path):
    folder = forms_dir(tmp_path, "conditional.form", "unsupported.form")
    with pytest.raises(DeploymentRefused) as refused:
        deploy(session, pakn_with('camunda:formRef="khong-co"'), forms=folder)
    assert "camunda:formRef 'khong-co': no form with this id" in str(refused.value)
    with pytest.raises(DeploymentRefused) as refused:
        deploy(session, pakn_with('camunda:formKey="camunda-forms:deployment:unsupported.form"'), forms=folder)
    assert "component type 'dynamiclist' is not supported" in str(refused.value)
    (tmp_path / "whole").mkdir()
    whole = forms_dir(tmp_path / "whole", "conditional.form")  # deploy, like validate, refuses any broken form
    results = deploy(session, pakn_with('camunda:formRef="classify-conditional"'), forms=whole)
    assert [(r.process_key, r.created) for r in results] == [("pakn", True)]


def test_run_py_validate_checks_forms_and_form_references(tmp_path):
    folder = forms_dir(tmp_path, "conditional.form")
    model = tmp_path / "pakn.bpmn"
    model.write_bytes(pakn_with('camunda:formRef="classify-conditional"')["processes/pakn.bpmn"])

    def run(*args):
        return subprocess.run(
            [sys.executable, "run.py", "validate", "--forms", str(folder), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = run(str(model))
    assert ok.returncode == 0, ok.stderr
    assert "OK" in ok.stdout and "1 form(s) checked" in ok.stdout
    broken = run(str(model), str(FORMS / "broken-schema.form"))
    assert broken.returncode == 1
    assert "broken-schema.form:" in broken.stderr and "component wide: form-js schema" in broken.stderr


def test_options_from_the_input_data_with_values_key():
    from app.camunda_forms import with_data  # noqa: PLC0415

    form = load_form(
        json.dumps(
            {
                "type": "default",
                "id": "pick",
                "components": [
                    {"type": "select", "key": "lead", "label": "Cơ quan", "valuesKey": "agencies", "id": "F1"},
                    {"type": "taglist", "key": "co", "label": "Phối hợp", "valuesKey": "agencies", "id": "F2"},
                ],
            }
        ),
        "pick.form",
    )
    assert check_form(form) == []
    data = {"agencies": [{"label": "Sở Xây dựng", "value": "KT-SXD"}, {"label": "Sở Y tế", "value": "KT-SYT"}]}
    bound = with_data(form, data)
    html = str(render(bound, {}))
    assert '<option value="KT-SXD"' in html and "Sở Y tế" in html
    sent = MultiDict([("lead", "KT-SYT"), ("co", "KT-SXD")])
    assert submit(bound, sent, data) == {"lead": "KT-SYT", "co": ["KT-SXD"]}
    assert set(refusal(bound, MultiDict([("lead", "KT-XXX")]), data).by_field()) == {"lead"}
    assert "KT-SXD" not in str(render(form, {}))  # the loaded form is not changed
