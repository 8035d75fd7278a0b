"""Settings helpers that are not options: the environment that keeps deepeval offline."""

from __future__ import annotations

from pathlib import Path

from wrapped.settings import DEEPEVAL_OFFLINE_ENV, deepeval_offline_env


def test_deepeval_is_kept_offline_whatever_the_environment_says(monkeypatch) -> None:
    monkeypatch.setenv("DEEPEVAL_TELEMETRY_OPT_OUT", "0")  # a developer's shell, say
    env = deepeval_offline_env()
    assert env["DEEPEVAL_TELEMETRY_OPT_OUT"] == "1"
    assert {k: env[k] for k in DEEPEVAL_OFFLINE_ENV} == {
        "DEEPEVAL_TELEMETRY_OPT_OUT": "1",
        "DEEPEVAL_NO_INSPECT_PROMPT": "1",
        "DEEPEVAL_DISABLE_DOTENV": "1",
    }
    assert "DEEPEVAL_CACHE_FOLDER" not in env


def test_quiet_defaults_leave_what_the_environment_already_sets(monkeypatch) -> None:
    monkeypatch.setenv("DEEPEVAL_GRPC_LOGGING", "1")
    monkeypatch.delenv("ERROR_REPORTING", raising=False)
    env = deepeval_offline_env()
    assert "DEEPEVAL_GRPC_LOGGING" not in env and env["ERROR_REPORTING"] == "NO"


def test_deepeval_files_go_to_the_folder_asked_for(tmp_path: Path) -> None:
    env = deepeval_offline_env(tmp_path / ".deepeval")
    assert env["DEEPEVAL_CACHE_FOLDER"] == str(tmp_path / ".deepeval")
