"""The model is clean under bpmnlint:recommended, the linter Camunda Modeler runs (installed by npm ci)."""

import subprocess

from .conftest import PROCESSES

ROOT = PROCESSES.parent


def test_pakn_model_is_clean_under_bpmnlint_recommended():
    assert (ROOT / "node_modules" / ".bin" / "bpmnlint").exists(), "run `npm ci` first (.ci/run does)"
    result = subprocess.run(
        ["node_modules/.bin/bpmnlint", "processes/pakn.bpmn"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "problem" not in result.stdout
