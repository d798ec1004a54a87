"""An operator's mistake in the settings gets one line naming it and a non-zero exit, never a traceback: a database
that cannot be reached or parsed, a number that is not one, mail settings that cannot work, a missing answer."""

import os
import subprocess
import sys

import pytest

from .test_designer_commands import ROOT, run

UNREACHABLE = "postgresql+psycopg://pakn:secret@127.0.0.1:1/pakn"
DEADLINE = ["deadline", "--province", "quang-ngai", "--step", "answer"]


def one_line_refusal(result, *words):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize("command", [["db", "current"], ["timers"], ["deploy", "processes/pakn.bpmn"]])
def test_a_database_that_cannot_be_reached_is_named_in_one_line(command):
    result = run(*command, env={"DATABASE_URL": UNREACHABLE})
    one_line_refusal(result, "the database cannot be used", "DATABASE_URL")
    assert "secret" not in result.stderr  # the URL's password is never printed


def test_a_url_that_is_no_database_url_is_named_without_echoing_it():
    result = run("db", "current", env={"DATABASE_URL": "not-a-url-secret"})
    one_line_refusal(result, "it is not a database URL")
    assert "secret" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("PAKN_TIMER_BATCH", "abc"), ("PAKN_TIMER_BATCH", "0"), ("PORT", "abc"), ("PORT", "70000")]
)
def test_a_number_setting_that_is_no_number_is_named_with_its_range(name, value, tmp_path):
    command = ["scheduler"] if name == "PAKN_TIMER_BATCH" else []
    result = run(*command, env={name: value, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    one_line_refusal(result, f"{name}={value!r}", "whole number")


@pytest.mark.parametrize("smtp", ["smtp://mail.example:port", "smtps://127.0.0.1:2599?cafile=/nonexistent/ca.pem"])
def test_mail_settings_that_cannot_work_stop_the_scheduler_naming_them(smtp, tmp_path):
    result = run("scheduler", env={"SMTP_URL": smtp, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    one_line_refusal(result, "SMTP_URL cannot be used")


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ([*DEADLINE, "--from", "9999-12-31T09:00+07:00"], "31/12/2100"),
        ([*DEADLINE, "--from", "0001-01-01T09:00+07:00"], "01/01/2000"),
        (["report", "--province", "quang-ngai", "--period", "9999-12"], "9999-12"),
        (["report", "--national", "--period", "9999-Q4"], "9999-Q4"),
        (["calendar", "show", "--calendar", "atlantis"], "atlantis"),
        (
            ["calendar", "add-day-off", "--calendar", "quang-ngai", "--date", "9999-12-31", "--name", "x",
             "--basis", "y", "--reason", "r", "--as", "admin", "--yes"],
            "31/12/2100",
        ),
    ],
)  # fmt: skip
def test_a_day_or_a_calendar_a_command_cannot_use_is_named(db_url, command, words):
    result = run(*command, env={"DATABASE_URL": db_url})
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stderr
    assert words in result.stderr, result.stderr


def test_an_interruption_or_no_answer_at_a_prompt_is_one_line(db_url):
    command = ["calendar", "add-day-off", "--calendar", "quang-ngai", "--date", "2026-12-24", "--name", "Nghỉ",
               "--basis", "Quyết định", "--reason", "r", "--as", "admin", "--recompute"]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": db_url}
    result = subprocess.run([sys.executable, "run.py", *command], cwd=ROOT, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, env=env, timeout=120)  # fmt: skip
    one_line_refusal(result, "--yes")
