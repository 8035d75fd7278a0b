"""The progress line shows the job is alive while listeners are still being written: it is
printed on a timer, and counts stories and LLM calls as workers finish them. With a slow
model the log once said "listeners 0/3" and then nothing for many minutes."""

from __future__ import annotations

import re

from _batch_helpers import REPO, cli_env, run_cli

from wrapped.testing import Script, ScriptedServer

SAMPLE = str(REPO / "data" / "sample")
LINE = re.compile(
    r"^listeners (\d+)/1 \(\d+%\) \| (\d+) stories \([\d.]+/s\) \| (\d+) LLM calls \([\d.]+/s\)",
    re.M,
)


def test_a_slow_model_shows_stories_and_calls_before_the_first_listener_finishes(tmp_path):
    # one listener of five days, one writer call per story, 1.5 s per call: about 8 s before
    # the listener (the only thing the driver used to hear of) is finished
    with ScriptedServer(Script(latency_ms=1500, seed=5), mode="thread") as srv:
        env = cli_env(tmp_path, WRAPPED_PROGRESS_EVERY_S="0.5")
        args = [
            "generate", SAMPLE, "--out", str(tmp_path / "runs"), "--users", "1",
            "--backend", "scripted", "--base-url", srv.base_url, "--model", "scripted",
            "--no-judge", "--workers", "1",
        ]  # fmt: skip
        res = run_cli(args, env)
        calls = len(srv.requests())
    assert res.returncode == 0, res.stderr[-3000:]
    lines = [tuple(map(int, m.groups())) for m in LINE.finditer(res.stderr)]
    assert lines, res.stderr[-3000:]
    before = [(stories, llm) for done, stories, llm in lines if done == 0]
    # while the listener was still being written, the line counted its finished stories
    assert any(stories >= 1 and llm >= 1 for stories, llm in before), res.stderr[-3000:]
    # counts only grow, and the last line has them all
    assert [s for _, s, _ in lines] == sorted(s for _, s, _ in lines)
    done, stories, llm = lines[-1]
    assert done == 1 and stories >= 1 and llm == calls
