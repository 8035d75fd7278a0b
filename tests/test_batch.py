"""The batch job end to end through the real CLI: embedded default, a scripted endpoint with a
fault mix, kill -9 and resume (exactly once, nothing paid twice), fail-fast, and erasure."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import pytest
from _batch_helpers import (
    REPO,
    assert_complete_and_exactly_once,
    cli_env,
    manifest,
    only_run,
    read_lines,
    run_cli,
    run_main,
    start_cli,
)

from wrapped.store import SCHEMA_VERSION, RunStore
from wrapped.testing import Rule, Script, ScriptedServer

SAMPLE = str(REPO / "data" / "sample")
SECRET_LIKE = "sk-test-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(scope="module")
def embedded_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("embedded")
    env = cli_env(tmp, WRAPPED_PROGRESS_EVERY_S="0.001")  # a progress line per batch
    # "[/runs]" in the path: the summary prints it with rich, whose markup it used to crash
    out = tmp / "[" / "runs]"
    first = run_cli(["generate", SAMPLE, "--out", str(out)], env)
    assert first.returncode == 0, first.stderr[-3000:]
    run = only_run(out)
    before = (
        (run / "stories").stat().st_mtime_ns,
        sorted(p.name for p in (run / "stories").iterdir()),
    )
    second = run_cli(["generate", SAMPLE, "--out", str(out)], env)
    # a copy before any test erases from the run: a test that damages a run damages a copy
    shutil.copytree(out, tmp / "pristine", symlinks=True)
    return tmp, env, out, run, first, second, before


def test_embedded_default_writes_grounded_stories_for_every_eligible_listener(embedded_run):
    _, _, _, run, first, _, _ = embedded_run
    m = assert_complete_and_exactly_once(run)
    c = m["counts"]
    assert c["listeners_in"] >= 20 and c["eligible"] >= 15
    assert c["ineligible"] >= 1  # the 3-play listener
    assert c["listeners_done"] == c["selected"] == c["eligible"]
    stories = read_lines(run / "stories")
    assert len(stories) == c["stories"]["expected"] > 0
    assert {s["backend"] for s in stories} == {"embedded"}
    assert all(s["decision"] in ("pass", "fallback") for s in stories)
    # the summary table and the counts are printed, and where the stories are, on one line
    assert "listeners in" in first.stdout and "passed the gate" in first.stdout
    assert f"stories: {run / 'stories'}   manifest: {run / 'manifest.json'}" in first.stdout
    # not a terminal (a log, a CI or cluster job): plain progress lines, not one bar at the end
    seen = [
        int(m.group(1))
        for m in re.finditer(rf"^listeners (\d+)/{c['eligible']} \(\d+%\) \| ", first.stderr, re.M)
    ]
    assert len(seen) >= 3 and seen[0] == 0 and seen[-1] == c["eligible"], first.stderr[-3000:]
    assert seen == sorted(seen) and "ETA" in first.stderr
    assert m["ingest_report"] is not None
    assert (run / "ingest" / "rejects.jsonl").exists()
    # the typed store reads back what the job wrote, and the manifest names the judge
    store = RunStore.open(run)
    typed = store.manifest()
    assert typed.schema_version == SCHEMA_VERSION and typed.judge is not None
    assert re.search(rf"judge +│ +{re.escape(typed.judge.describe()[7:])}", first.stdout)
    assert len(list(store.stories())) == len(stories)
    assert len(list(store.verdicts())) == c["stories"]["expected"]
    assert {uy.user_id for uy in store.user_years()} == {r.user_id for r in store.listeners()}
    ineligible = [json.loads(x) for x in (run / "ineligible.jsonl").read_text().splitlines()]
    assert all(r["reason"] for r in ineligible)


def test_rerunning_the_same_command_resumes_without_rewriting(embedded_run):
    _, _, _, run, _, second, before = embedded_run
    assert second.returncode == 0, second.stderr[-3000:]
    m = manifest(run)
    assert m["invocations"] == 2
    assert sorted(p.name for p in (run / "stories").iterdir()) == before[1]
    assert (run / "stories").stat().st_mtime_ns == before[0]  # sealed shards were not rewritten
    assert_complete_and_exactly_once(run)


def test_no_secret_or_private_value_in_the_run(embedded_run):
    _, _, _, run, _, _, _ = embedded_run
    text = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in run.rglob("*") if p.is_file()
    )
    assert "test-salt" not in text
    m = manifest(run)
    assert "salt" not in m["settings"] and "api_key" not in m["settings"]


def test_erase_removes_a_listener_everywhere_and_counts_still_add_up(embedded_run, tmp_path):
    _, env, out, run, _, _, _ = embedded_run

    # an id that is no listener erases nothing: "--user x" once dropped every ingest-report
    # entry whose file name held an "x", from everyone's report and manifest
    def files():  # the lock file holds whoever locked the run last: not the run's data
        return {p: p.read_bytes() for p in run.rglob("*") if p.is_file() and p.name != ".lock"}

    before = files()
    for nobody in ("x", "e", "u_0000000000000000"):  # in process: the erase below is real
        res = run_main(["erase", "--user", nobody, "--runs", str(out)], env)
        assert res.returncode == 0 and "erased 0 record(s)" in res.stdout, res.stdout
    assert files() == before
    victim = read_lines(run / "stories")[0]["user_id"]
    res = run_cli(["erase", "--user", victim, "--runs", str(out)], env)
    assert res.returncode == 0, res.stderr
    assert "erased" in res.stdout
    for p in run.rglob("*"):
        if p.is_file():
            assert victim not in p.read_text(encoding="utf-8", errors="replace"), p
    m = manifest(run)
    assert m["counts_add_up"], m["count_problems"]
    assert m["erased_listeners"] == 1


def test_missing_input_is_one_clear_line(tmp_path):
    res = run_main(
        ["generate", str(tmp_path / "nope"), "--out", str(tmp_path / "runs")], cli_env(tmp_path)
    )
    assert res.returncode != 0
    assert "nope" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def _scripted_args(srv: ScriptedServer, out, *extra: str) -> list[str]:
    return [
        "generate",
        SAMPLE,
        "--out",
        str(out),
        "--backend",
        "scripted",
        "--base-url",
        srv.base_url,
        "--model",
        "scripted",
        "--judge-model",
        "scripted-judge",
        "--quiet",
        *extra,
    ]


FAST_RETRY = {
    "WRAPPED_TIMEOUT_S": "2",
    "WRAPPED_BACKOFF_INITIAL_S": "0.02",
    "WRAPPED_BACKOFF_MAX_S": "0.2",
    "WRAPPED_MAX_ATTEMPTS": "8",
}


def test_scripted_endpoint_with_a_20_percent_fault_mix_loses_nothing(tmp_path):
    # 20% of all requests draw a fault from the mix; the rules make sure each kind the test
    # names happens at least once whatever the draw (it depends on the exact request bytes)
    sure = [
        Rule(tries=[1], times=1, fault=f, retry_after_s=0.05)
        for f in ("rate_limit", "server_error", "hang", "malformed")
    ]
    script = Script(fault_rate=0.2, seed=11, retry_after_s=0.05, hang_s=4, rules=sure)
    with ScriptedServer(script, mode="process") as srv:
        env = cli_env(tmp_path, **FAST_RETRY)
        res = run_cli(_scripted_args(srv, tmp_path / "runs", "--users", "6"), env)
        log = srv.requests()
    assert res.returncode == 0, res.stderr[-3000:]
    run = only_run(tmp_path / "runs")
    m = assert_complete_and_exactly_once(run)
    outcomes = {r.outcome for r in log}
    assert {
        "fault:rate_limit",
        "fault:server_error",
        "fault:hang",
        "fault:malformed",
    } <= outcomes, outcomes  # faults happened
    c = m["counts"]
    assert c["listeners_done"] + c["listeners_failed"] == 6
    for row in read_lines(run / "listeners"):
        assert row["status"] == "done" or row["error"]  # stored stories or a recorded reason
    assert m["usage"]["calls"] > 0 and m["usage"]["prompt_tokens"] > 0
    assert {s["backend"] for s in read_lines(run / "stories")} <= {"scripted", "embedded"}


def test_judge_suites_one_call_per_draft_by_default_or_the_full_deepeval_suite(tmp_path):
    """The default judge asks one question per draft; --judge-suite full runs deepeval's
    G-Eval rubrics and safety metrics (more calls), and is a different run."""
    with ScriptedServer(Script(seed=3), mode="thread") as srv:
        env = cli_env(tmp_path)
        panel = run_cli(_scripted_args(srv, tmp_path / "runs", "--users", "2"), env)
        n_panel = len(srv.requests())
        full = run_cli(
            _scripted_args(srv, tmp_path / "runs", "--users", "2", "--judge-suite", "full"), env
        )
        log = srv.requests()[n_panel:]
    assert panel.returncode == 0 and full.returncode == 0, panel.stderr[-2000:] + full.stderr
    runs = sorted(p for p in (tmp_path / "runs").iterdir() if p.is_dir())
    assert len(runs) == 2  # a different judge suite is a different run
    for run in runs:
        m = assert_complete_and_exactly_once(run)
        suite = m["settings"]["judge_suite"]
        judge = RunStore.open(run).manifest().judge
        assert judge is not None and judge.status == "on" and judge.suite == suite
        assert judge.model == "scripted-judge" and judge.endpoint_host == srv.base_url.split("/")[2]
        judged = {
            c["name"]
            for v in read_lines(run / "verdicts")
            for a in v["attempts"]
            for c in a["checks"]
            if c["layer"] == "judge"
        }
        if suite == "panel":
            assert {"judge.grounding", "judge.freshness", "judge.safety"} <= judged
        else:
            assert {"judge.faithfulness", "judge.toxicity", "judge.pii"} <= judged
    judge_calls = sum(r.kind == "judge" for r in log)
    writer_calls = sum(r.kind == "writer" for r in log)
    assert judge_calls >= 8 * writer_calls  # the full suite asks many questions per draft
    bad = run_main(_scripted_args(srv, tmp_path / "runs", "--judge-suite", "vibes"), env)
    assert bad.returncode == 2 and "judge_suite" in bad.stderr and "Traceback" not in bad.stderr


def test_wrong_key_fails_fast_with_one_line_and_never_prints_the_key(tmp_path):
    with ScriptedServer(Script(api_key="the-right-key"), mode="thread") as srv:
        env = cli_env(tmp_path, OPENAI_API_KEY="sk-wrong-secret-123", **FAST_RETRY)
        res = run_cli(_scripted_args(srv, tmp_path / "runs", "--users", "3"), env)
        paid = srv.requests()
    assert res.returncode != 0
    assert "OPENAI_API_KEY" in res.stderr and "Traceback" not in res.stderr
    assert "sk-wrong-secret-123" not in res.stderr + res.stdout
    for p in (tmp_path / "runs").rglob("*"):
        if p.is_file():
            assert "sk-wrong-secret-123" not in p.read_text(errors="replace")
    assert len([r for r in paid if r.status == 401]) <= 8  # stopped early, did not hammer on


def test_kill_9_mid_run_then_resume_stores_each_story_exactly_once(tmp_path):
    script = Script(latency_ms=150, seed=5)
    out = tmp_path / "runs"
    with ScriptedServer(script, mode="process") as srv:
        env = cli_env(
            tmp_path,
            WRAPPED_SHARD_SIZE="2",
            WRAPPED_BATCH_SIZE="1",
            WRAPPED_CONCURRENCY="4",
            **FAST_RETRY,
        )
        proc = start_cli(
            _scripted_args(srv, out, "--users", "8"),
            env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        finished_before: set[str] = set()
        while time.monotonic() < deadline:
            runs = [p for p in out.glob("*") if p.is_dir()] if out.exists() else []
            if runs:
                done = read_lines(runs[0] / "listeners") if (runs[0] / "listeners").exists() else []
                journal = runs[0] / "journal"
                jl = []
                if journal.exists():
                    for f in journal.glob("*.jsonl"):
                        jl += [json.loads(x) for x in f.read_text().splitlines() if x.endswith("}")]
                finished_before = {r["user_id"] for r in done + jl}
                if len(finished_before) >= 3:
                    break
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, (
            "the run finished before it could be killed; slow the server down"
        )
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        time.sleep(0.5)
        run = only_run(out)
        assert not (run / "manifest.json").exists() or manifest(run)["status"] != "complete"
        # what was durably finished at the kill: sealed listeners + complete journal lines
        durable = {r["user_id"] for r in read_lines(run / "listeners")}
        for f in (run / "journal").glob("*.jsonl") if (run / "journal").exists() else []:
            durable |= {
                json.loads(x)["user_id"]
                for x in f.read_text().splitlines()
                if x.strip().endswith("}")
            }
        assert durable, "nothing was finished before the kill"
        srv.clear()
        res = run_cli(_scripted_args(srv, out, "--users", "8"), env)
        assert res.returncode == 0, res.stderr[-3000:]
        after = srv.requests()
    assert_complete_and_exactly_once(run)
    repaid = [r for r in after if r.paid and r.user_id in durable]
    assert not repaid, f"finished listeners were paid for again: {repaid[:3]}"
    assert manifest(run)["invocations"] >= 1


def test_rpm_budget_is_shared_by_all_workers(tmp_path):
    """Two Ray workers, one budget: the server never sees more than the configured rate."""
    from datetime import datetime

    rpm = 240  # 4 requests/s for the whole run, a burst of about one second's worth
    with ScriptedServer(Script(), mode="thread") as srv:
        env = cli_env(tmp_path, WRAPPED_BATCH_SIZE="1", **FAST_RETRY)
        args = _scripted_args(
            srv,
            tmp_path / "runs",
            "--users",
            "4",
            "--no-judge",
            "--workers",
            "2",
            "--rpm",
            str(rpm),
            "--concurrency",
            "8",
        )
        res = run_cli(args, env)
        log = [r for r in srv.requests() if r.path.endswith("/chat/completions")]
    assert res.returncode == 0, res.stderr[-3000:]
    times = sorted(datetime.fromisoformat(r.ts).timestamp() for r in log)
    assert len(times) >= 12
    span = times[-1] - times[0]
    burst = 4
    assert len(times) - burst <= rpm / 60 * span * 1.1 + 1, (len(times), span)


def test_no_key_for_openai_is_one_line_before_any_work(tmp_path):
    res = run_main(
        ["generate", SAMPLE, "--out", str(tmp_path / "runs"), "--backend", "openai"],
        cli_env(tmp_path),
    )
    assert res.returncode == 2
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "OPENAI_API_KEY" in errors[0]
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--concurrency", "0", "setting 'concurrency': Input should be greater than or equal to 1 (got 0)"),
        ("--workers", "0", "setting 'workers'"),
        ("--rpm", "-5", "setting 'rpm'"),
        ("--max-failure-rate", "1.5", "setting 'max_failure_rate': Input should be less than or equal to 1"),
        # a run outside --out: neither a resume nor `wrapped erase --runs` would find it
        ("--run-id", "../elsewhere", "setting 'run_id': a run id is one folder name"),
        # checked only after ingest and stats before: minutes into a big run
        ("--sample", "no-such-ids.txt", "--sample no-such-ids.txt: neither a fraction nor a readable file"),
        ("--sample", "1.5", "--sample 1.5: a fraction must be in (0, 1]"),
        # reached the SDK, which failed every call: minutes of retries, then fallback stories
        ("--base-url", "localhost:9/v1", "setting 'base_url': an http(s) URL is needed"),
    ],
)  # fmt: skip
def test_an_impossible_setting_is_one_line_before_any_work(tmp_path, option, value, says):
    """`--concurrency 0` once ran (clamped to 1 deep inside) and `--rpm -5` set no limit at all:
    a value the job cannot honour is refused up front, naming the setting and the value."""
    res = run_main(["generate", SAMPLE, "--out", str(tmp_path / "runs"), option, value],
                   cli_env(tmp_path))  # fmt: skip
    assert res.returncode == 2, res.stdout[-2000:]
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and says in errors[0], res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_a_key_set_as_the_wrong_setting_is_not_echoed(tmp_path):
    env = {**cli_env(tmp_path), "WRAPPED_TPM": SECRET_LIKE}
    res = run_main(["generate", SAMPLE, "--out", str(tmp_path / "runs")], env)
    assert res.returncode == 2
    assert "setting 'tpm'" in res.stderr and SECRET_LIKE not in res.stderr + res.stdout


@pytest.mark.parametrize("command", ["generate", "ingest"])
def test_an_out_that_is_a_file_is_one_line_before_any_work(tmp_path, command):
    """It was a NotADirectoryError traceback, after ingest and stats had run."""
    blocker = tmp_path / "runs"
    blocker.write_text("not a folder")
    for out, says in ((blocker, "a file of that name exists"), (blocker / "sub", "is a file")):
        res = run_main([command, SAMPLE, "--out", str(out)], cli_env(tmp_path))
        assert res.returncode == 2, res.stderr[-2000:]
        errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and f"--out {out}: " in errors[0] and says in errors[0]
        assert "Traceback" not in res.stderr
    assert blocker.read_text() == "not a folder"


def test_a_run_with_nobody_to_write_for_says_why_and_fails(tmp_path):
    """A wrong --year (or a --sample file naming nobody) used to end "complete" with exit 0 and
    zero stories; now one line says why, naming the listeners' reason and where to look."""
    env = cli_env(tmp_path)
    out = tmp_path / "runs"
    res = run_main(["generate", SAMPLE, "--out", str(out), "--year", "1999", "-q"], env)
    assert res.returncode == 4, res.stderr[-2000:]
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "no eligible listener" in errors[0], res.stderr
    assert "'no listening between 1999-01-01 and 1999-11-15'" in errors[0]
    run = only_run(out)
    assert str(run / "ineligible.jsonl") in errors[0]
    assert manifest(run)["counts_add_up"] and "listeners in" in res.stdout  # still summarized
    ids = tmp_path / "ids.txt"
    ids.write_text("u_0000000000000000\n")
    res = run_main(["generate", SAMPLE, "--out", str(out), "--sample", str(ids), "-q"], env)
    assert res.returncode == 4 and "--sample selected none of the" in res.stderr, res.stderr


def test_an_endpoint_nobody_answers_is_one_line_in_seconds(tmp_path):
    """A mistyped or stopped endpoint spent the retry budget on every call (3 minutes for 2
    listeners), stored the embedded writer's fallbacks and exited 0; now the preflight's TCP
    knock refuses it before any work. The judge's own endpoint is knocked on too."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free once closed: nobody listens there
    env = cli_env(tmp_path, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    dead = f"http://127.0.0.1:{port}/v1"
    with ScriptedServer(Script()) as srv:
        for args, says in (
            (["--base-url", dead, "--model", "m"], f"cannot reach the LLM endpoint at {dead}"),
            (
                ["--backend", "scripted", "--base-url", srv.base_url, "--model", "scripted",
                 "--judge-model", "scripted-judge", "--judge-base-url", dead],
                f"cannot reach the judge endpoint at {dead} (--judge-base-url)",
            ),
        ):  # fmt: skip
            t0 = time.monotonic()
            res = run_main(["generate", SAMPLE, "--out", str(tmp_path / "runs"), *args], env)
            took = time.monotonic() - t0
            assert res.returncode == 2, res.stderr[-2000:]
            errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1 and says in errors[0], res.stderr
            assert took < 60, took  # start-up and one refused connect, not the retry budget
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.mark.parametrize("down", ["scripted", "scripted-judge"])
def test_an_endpoint_that_goes_down_stops_the_run_and_a_rerun_finishes_it(tmp_path, down):
    """Every call of the writer (or of the judge) gets a 500. That used to end "complete" with
    exit 0 and every story a template fallback (an unscored judge check, for the judge),
    paid-for LLM stories silently replaced. Now the run stops with one line after a few
    calls in a row give up, stores no fallback for it, and a rerun on a healthy endpoint
    writes every story exactly once."""
    with ScriptedServer(Script(rules=[Rule(model=down, fault="server_error")])) as srv:
        env = cli_env(tmp_path, **{**FAST_RETRY, "WRAPPED_MAX_ATTEMPTS": "2"})
        args = _scripted_args(srv, tmp_path / "runs", "--users", "4")
        res = run_cli(args, env)
        assert res.returncode == 4, res.stderr[-3000:]
        errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "the run stopped:" in errors[0], res.stderr[-3000:]
        assert "500" in errors[0] and "rerun the same command" in errors[0]
        assert "Traceback" not in res.stderr
        run = only_run(tmp_path / "runs")
        m = manifest(run)
        assert m["status"] == "incomplete" and "500" in m["stopped"]
        assert m["counts_add_up"], m["count_problems"]
        assert m["counts"]["stories"]["fallback"] == 0 and m["counts"]["listeners_pending"] > 0
        srv.set_script(Script())
        res = run_cli(args, env)
        assert res.returncode == 0, res.stderr[-3000:]
    m = assert_complete_and_exactly_once(run)
    assert "stopped" not in m and m["counts"]["listeners_done"] == 4
    s = m["counts"]["stories"]
    assert s["passed"] + s["fallback"] == s["expected"] > 0


@pytest.mark.parametrize(
    ("sig", "code", "says", "stopped", "rerun"),
    [
        (signal.SIGINT, 130, "interrupted", "interrupted (Ctrl-C)", False),
        (signal.SIGTERM, 143, "terminated (SIGTERM)", "terminated (SIGTERM)", True),
    ],
    ids=["ctrl-c", "sigterm"],
)
def test_a_stop_signal_mid_run_says_how_to_resume_and_the_rerun_finishes(
    tmp_path, sig, code, says, stopped, rerun
):
    """typer turned Ctrl-C into a silent exit 130, and SIGTERM (a scheduler stopping the job)
    was Ray's crash report and exit 1; either way the manifest still said "running". The rerun
    after a stop reads the same "incomplete" manifest whichever signal stopped it, so it is run
    once (after SIGTERM), not twice: the suite has to fit in CI's 15 minutes."""
    out = tmp_path / "runs"
    with ScriptedServer(Script(latency_ms=300, seed=5), mode="process") as srv:
        env = cli_env(tmp_path, WRAPPED_CONCURRENCY="2", WRAPPED_BATCH_SIZE="1")
        args = _scripted_args(srv, out, "--users", "6")
        proc = start_cli(args, env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if srv.requests():  # the fan-out is under way
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the run ended before it could be stopped"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == code, err[-3000:]
        assert f"{says}; rerun the same command to resume" in err
        assert "Traceback" not in err and "Exception ignored" not in err, err[-3000:]
        assert "SIGTERM received" not in err, err[-3000:]  # Ray's crash report
        run = only_run(out)
        m = manifest(run)
        assert m["status"] == "incomplete" and m["stopped"] == stopped
        if not rerun:
            return
        res = run_cli(args, env)
        assert res.returncode == 0, res.stderr[-3000:]
    m = assert_complete_and_exactly_once(run)
    assert "stopped" not in m and m["counts"]["listeners_done"] == 6


def test_a_run_being_written_is_not_written_or_erased_by_a_second_command(tmp_path):
    """An overlapping second job (cron, a second terminal) would pay for every pending
    listener again and append to the same journal; erase would rewrite files a job appends to.
    Whoever writes a run holds its lock (the kill -9 test shows a crash leaves none behind)."""
    from wrapped.store.lock import run_lock

    env = cli_env(tmp_path)
    out = tmp_path / "runs"
    with run_lock(out / "r1", doing="wait"):
        (out / "r1" / "plan.json").write_text("{}")  # a run, as erase finds runs
        for args, doing in (
            (["generate", SAMPLE, "--out", str(out), "--run-id", "r1", "-q"], "rerun the same command"),
            (["erase", "--user", "u_0000000000000000", "--runs", str(out)], "erase again"),
        ):  # fmt: skip
            res = run_cli(args, env)
            assert res.returncode == 4, res.stderr[-2000:]
            errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1, res.stderr
            assert f"{out / 'r1'} is in use by pid {os.getpid()}; {doing}" in errors[0]
    res = run_main(["erase", "--user", "u_0000000000000000", "--runs", str(out)], env)
    assert res.returncode == 0 and "erased 0 record(s)" in res.stdout, res.stderr[-2000:]


def test_a_damaged_plan_is_one_line_and_a_damaged_manifest_is_rebuilt(embedded_run, tmp_path):
    """Both were tracebacks on the rerun (pydantic's, json's). The files are written
    atomically, so only a hand edit or a disk fault damages them. The run damaged is a copy of
    the embedded run (the same command, so the rerun resumes it), taken before any erasure."""
    tmp, env, *_ = embedded_run
    shutil.copytree(tmp / "pristine", tmp_path / "runs", symlinks=True)
    args = ["generate", SAMPLE, "--out", str(tmp_path / "runs"), "-q"]
    run = only_run(tmp_path / "runs")
    assert manifest(run)["status"] == "complete"
    plan = (run / "plan.json").read_text()
    (run / "plan.json").write_text("{")
    res = run_main(args, env)
    assert res.returncode == 4, res.stderr[-2000:]
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"{run} cannot be resumed, its plan is damaged" in errors[0]
    assert "Traceback" not in res.stderr
    (run / "plan.json").write_text(plan)
    (run / "manifest.json").write_text('{"x')
    res = run_main(args, env)
    assert res.returncode == 0, res.stderr[-2000:]
    assert manifest(run)["status"] == "complete" and manifest(run)["counts_add_up"]


def test_erase_with_runs_that_are_not_folders_is_refused_before_erasing(tmp_path):
    """A file given as --runs was searched for nothing: "erased 0", a GDPR request silently
    not done. Every --runs is checked before anything is erased."""
    a_file = tmp_path / "runs.txt"
    a_file.write_text("not a folder")
    (tmp_path / "runs").mkdir()
    for bad, says in ((a_file, "not a folder"), (tmp_path / "gone", "no such folder")):
        args = ["erase", "--user", "u_0000000000000000", "--runs", str(tmp_path / "runs")]
        res = run_main([*args, "--runs", str(bad)], cli_env(tmp_path))
        assert res.returncode == 2, res.stdout + res.stderr
        errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
        assert errors == [f"error: {bad}: {says}"], res.stderr
        assert "erased" not in res.stdout
