"""The monitor on runs with stories: a prompt version that breaks one locale (slow: two
`wrapped generate` runs with the scripted LLM over real HTTP, and Ray).

`examples/prompts/v1-us-broken` drops the data block for American-spelling listeners (locale
en-US). Their stories cannot be grounded, so they fall back; the monitor flags the en-US cohort
and nothing else (the countries it spans are explained by it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _batch_helpers import cli_env, run_cli

from wrapped.testing import Script, ScriptedServer

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "prompts"
ALERT = re.compile(r"^ALERT (\S+) \[([^\]]+)\]")


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_a_prompt_that_breaks_one_locale_is_flagged_in_that_cohort_only(tmp_path):
    env = cli_env(tmp_path, WRAPPED_PROMPTS_DIR=str(EXAMPLES))
    data = tmp_path / "data"
    res = run_cli(["demo-data", "--out", str(data), "--events", "20000", "--listeners", "100",
                   "--seed", "3"], env)  # fmt: skip
    assert res.returncode == 0, res.stderr
    with ScriptedServer(Script(seed=3), mode="process") as srv:
        for prompt in ("v1", "v1-us-broken"):
            res = run_cli(["generate", str(data), "--out", str(tmp_path / "runs"),
                           "--backend", "scripted", "--base-url", srv.base_url,
                           "--model", "scripted", "--no-judge", "--prompt", prompt,
                           "--run-id", prompt, "--no-cache", "--quiet"], env, timeout=900)  # fmt: skip
            assert res.returncode == 0, res.stderr[-3000:]
    runs = tmp_path / "runs"
    # the scripted endpoint's latency is this machine's load, which differs between the runs
    config = tmp_path / "monitor.toml"
    config.write_text('ignore = ["story.latency_s"]\n', encoding="utf-8")
    res = run_cli(["monitor", str(runs / "v1-us-broken"), "--baseline", str(runs / "v1"),
                   "--config", str(config), "--html", str(tmp_path / "m.html")], env)  # fmt: skip
    assert res.returncode == 1, res.stdout + res.stderr
    alerts = [m.groups() for ln in res.stdout.splitlines() if (m := ALERT.match(ln))]
    assert {c for _, c in alerts} == {"locale=en-US"}, res.stdout
    assert ("output.story.fallback", "locale=en-US") in alerts, res.stdout
    assert ("invariant.story.all_fall_back", "locale=en-US") in alerts, res.stdout
    # the same prompt against itself is quiet
    res = run_cli(["monitor", str(runs / "v1"), "--baseline", str(runs / "v1"),
                   "--config", str(config)], env)  # fmt: skip
    assert res.returncode == 0, res.stdout
