"""`python run.py validate` and `deploy`, as a process designer runs them."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROCESSES

ROOT = PROCESSES.parent
PAKN = (PROCESSES / "pakn.bpmn").read_text(encoding="utf-8")


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "run.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def variant(tmp_path, name, old, new, count=1):
    assert PAKN.count(old) == count, old
    path = tmp_path / name
    path.write_text(PAKN.replace(old, new), encoding="utf-8")
    return path


def line_of(path, needle):
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_product_model_validates():
    result = run("validate", "processes/pakn.bpmn")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_a_condition_with_a_syntax_error_is_named_by_file_line_and_element(tmp_path):
    path = variant(
        tmp_path,
        "bad.bpmn",
        "decision == 'reject'</bpmn:conditionExpression>",
        "decision === 'reject'</bpmn:conditionExpression>",
    )
    result = run("validate", str(path))
    assert result.returncode == 1
    line = line_of(path, "decision === 'reject'")
    assert f"{path}:{line}: flow_reject: Python syntax error" in result.stderr


def test_a_user_task_nobody_may_do_and_an_unknown_status_are_refused(tmp_path):
    path = variant(
        tmp_path,
        "who.bpmn",
        '<bpmn:userTask id="publish" name="Công khai kết quả trả lời" camunda:candidateGroups="intake"',
        '<bpmn:userTask id="publish" name="Công khai kết quả trả lời"',
    )
    path.write_text(path.read_text(encoding="utf-8").replace('value="published"', 'value="da-xong"'), encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    line = line_of(path, '<bpmn:userTask id="publish"')
    assert f"{path}:{line}: publish: user task names nobody" in result.stderr
    assert "end_published: status 'da-xong' is not one of" in result.stderr


def test_a_flow_node_without_a_diagram_shape_is_refused(tmp_path):
    path = variant(
        tmp_path,
        "nodi.bpmn",
        '<bpmndi:BPMNShape id="record_receipt_di" bpmnElement="record_receipt">',
        '<bpmndi:BPMNShape id="record_receipt_di" bpmnElement="somewhere_else">',
    )
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "record_receipt: no diagram shape" in result.stderr


def test_a_camunda_8_attribute_is_refused_once_by_name(tmp_path):
    path = variant(
        tmp_path,
        "zeebe.bpmn",
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '<bpmn:userTask id="classify"', '<bpmn:userTask zeebe:x="1" id="classify"'
        ),
        encoding="utf-8",
    )
    result = run("validate", str(path))
    assert result.returncode == 1
    line = line_of(path, '<bpmn:userTask zeebe:x="1" id="classify"')
    assert (
        result.stderr
        == f"{path}:{line}: classify: zeebe:x is a Camunda 8 (Zeebe) attribute: this engine runs Camunda 7 models\n"
    )


def test_an_extension_attribute_and_element_of_another_namespace_are_accepted_and_kept(tmp_path):
    path = variant(
        tmp_path,
        "tool.bpmn",
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:tool="http://example.org/tool"',
    )
    note = '<bpmn:scriptTask id="note_reject_overdue" name="Ghi nhận quá hạn từ chối" scriptFormat="python">'
    text = path.read_text(encoding="utf-8")
    text = text.replace('<bpmn:userTask id="classify"', '<bpmn:userTask tool:reviewed="yes" id="classify"')
    text = text.replace(note, f'{note}<bpmn:extensionElements><tool:review by="designer" /></bpmn:extensionElements>')
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 0, result.stderr
    database = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    assert run("deploy", env={"DATABASE_URL": database}).returncode == 0  # the processes it calls
    deployed = run("deploy", str(path), env={"DATABASE_URL": database})
    assert deployed.returncode == 0 and deployed.stdout.strip() == "pakn: version 2 (deployed)", deployed.stderr
    with sqlite3.connect(tmp_path / "d.sqlite3") as db:
        (kept,) = db.execute(
            "SELECT bpmn_xml FROM process_definition WHERE process_key = 'pakn' AND version = 2"
        ).fetchone()
    assert kept == text


XXE = """<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" name="&secret;" isExecutable="true" />
</bpmn:definitions>
"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" name="&lol4;" isExecutable="true" />
</bpmn:definitions>
"""


@pytest.mark.parametrize("text", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_tricks_are_refused_with_a_clear_message(tmp_path, text):
    path = tmp_path / "evil.bpmn"
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert f"{path}:2: -: DOCTYPE/ENTITY declarations are refused" in result.stderr
    assert "root:" not in result.stdout + result.stderr


def test_deploy_makes_a_new_version_only_when_the_file_changed(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}"}
    first = run("deploy", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "clarification: version 1 (deployed)",
        "monthly_review: version 1 (deployed)",
        "pakn: version 1 (deployed)",
    ]
    assert "pakn: version 1 (unchanged)" in run("deploy", env=env).stdout.splitlines()
    changed = tmp_path / "processes"
    changed.mkdir()
    shutil.copy(PROCESSES / "pakn.bpmn", changed / "pakn.bpmn")
    variant(changed, "pakn.bpmn", 'name="Phân loại PAKN"', 'name="Phân loại"')
    again = run("deploy", str(changed / "pakn.bpmn"), env=env)
    assert again.stdout.strip() == "pakn: version 2 (deployed)"


def test_deploy_refuses_an_invalid_file(tmp_path):
    path = tmp_path / "evil.bpmn"
    path.write_text(XXE, encoding="utf-8")
    result = run("deploy", str(path), env={"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}"})
    assert result.returncode == 1 and "DOCTYPE" in result.stderr


@pytest.mark.parametrize("command", ["validate", "deploy"])
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.bpmn", None, "missing.bpmn: no such file"),
        ("folder", "dir", "folder: no .bpmn file in this folder"),
        ("empty.bpmn", b"", "invalid XML: Document is empty"),
        ("junk.bpmn", bytes(range(256)), "invalid XML"),
        ("notes.bpmn", "Ghi chú, không phải XML".encode(), "invalid XML"),
        ("other.bpmn", b"<html><body/></html>", "BPMN schema"),
    ],
    ids=["missing", "directory", "empty", "binary", "text", "not-bpmn"],
)
def test_any_input_gets_a_clear_message_and_exit_1_never_a_traceback(tmp_path, command, name, content, message):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    result = run(command, str(path), env={"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}"})
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "output", "message"),
    [
        ("missing.bpmn", None, "out.svg", "missing.bpmn: no such file"),
        ("folder", "dir", "out.svg", "folder: a folder: give one .bpmn file"),
        ("empty.bpmn", b"", "out.svg", "invalid XML: Document is empty"),
        ("junk.bpmn", bytes(range(256)), "out.svg", "invalid XML"),
        ("other.bpmn", b"<html><body/></html>", "out.svg", "not a BPMN 2.0 file"),
        ("pakn.bpmn", "pakn", "taken", "taken: cannot be written"),
    ],
    ids=["missing", "directory", "empty", "binary", "not-bpmn", "unwritable-output"],
)
def test_render_gets_a_clear_message_and_exit_1_never_a_traceback(tmp_path, name, content, output, message):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content == "pakn":
        shutil.copy(PROCESSES / "pakn.bpmn", path)
    elif content is not None:
        path.write_bytes(content)
    (tmp_path / "taken").mkdir()  # an output path that is a folder cannot be written
    result = run("render", str(path), "-o", str(tmp_path / output))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "deploy"])
def test_a_file_without_an_executable_process_has_nothing_to_deploy(tmp_path, command):
    path = variant(
        tmp_path, "nhap.bpmn", 'isExecutable="true"', 'isExecutable="false"', count=PAKN.count('isExecutable="true"')
    )
    result = run(command, str(path), env={"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}"})
    assert result.returncode == 1
    assert result.stderr == f'{path}: -: nothing to deploy: no executable process (isExecutable="true")\n'


def test_deploy_refuses_a_missing_called_process_by_name_instead_of_crashing(tmp_path):
    path = ROOT / "tests/fixtures/external/camunda/multi-tenancy_tenant-identifier-shared-definitions_mainProcess.bpmn"
    result = run("deploy", str(path), env={"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "CallActivity_0ahffuc: called process 'subProcess' is neither in the files given nor deployed" in result.stderr
    )


def test_a_folder_is_validated_file_by_file():
    result = run("validate", str(PROCESSES))
    assert result.returncode == 0 and result.stdout.startswith("OK:"), result.stderr


def test_layout_references_with_a_namespace_prefix_are_drawn_so_they_validate():
    exported = Path(__file__).parent / "fixtures/external/miwg/GenMyModel-0.47/A.1.0-export.bpmn"
    assert 'bpmnElement="bpmn2:' in exported.read_text(encoding="utf-8")
    result = run("validate", str(exported))
    # its layout is resolved: what is left is that its plain tasks cannot run here (test_render_miwg.py)
    assert "no diagram shape" not in result.stderr and "Traceback" not in result.stderr
    assert {line.split(": ", 2)[2] for line in result.stderr.splitlines()} == {
        "a task without a type waits here for a person it cannot name: make it a user task with "
        "camunda:candidateGroups (or a script task, or remove it)"
    }
