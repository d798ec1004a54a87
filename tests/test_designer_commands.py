"""`python run.py validate` and `deploy`, as a process designer runs them."""

import os
import shutil
import subprocess
import sys

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


def test_a_foreign_extension_namespace_is_refused(tmp_path):
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
    assert "classify: attribute namespace not supported: http://camunda.org/schema/zeebe/1.0" in result.stderr


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
    assert first.stdout.strip() == "pakn: version 1 (deployed)"
    assert run("deploy", env=env).stdout.strip() == "pakn: version 1 (unchanged)"
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
