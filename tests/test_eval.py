"""`wrapped eval` through the real CLI against the scripted server on the bundled sample.

One eval run (2 prompts x 2 models, the smoke suite's listeners) is shared by every test of
this module, and it is itself the kill -9 test: the run is killed in its second cell, rerun,
and must then hold each (cell, listener, day) row exactly once, with no finished story paid
for again.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from _batch_helpers import REPO, cli_env, run_cli, start_cli
from _browser import screenshot, watch

from wrapped.testing import Script, ScriptedServer

SUITE = str(REPO / "evals" / "suites" / "smoke.toml")
CELLS = ["v1-good-nojudge", "v1-sloppy-nojudge", "v2-good-nojudge", "v2-sloppy-nojudge"]


def _journal_users(run: Path) -> set[str]:
    done: set[str] = set()
    for kind in ("listeners", "journal"):
        for f in (run / kind).glob("*.jsonl") if (run / kind).exists() else []:
            done |= {
                json.loads(x)["user_id"] for x in f.read_text().splitlines() if x.endswith("}")
            }
    return done


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    """The smoke suite as a 2 x 2 matrix, killed with SIGKILL in its second cell, rerun."""
    tmp = tmp_path_factory.mktemp("eval")
    out = tmp / "results"
    srv = ScriptedServer(Script(latency_ms=40)).start()
    env = cli_env(
        tmp,
        WRAPPED_CACHE="false",
        WRAPPED_CONCURRENCY="4",
        WRAPPED_BATCH_SIZE="1",
        WRAPPED_WORKERS="1",
    )
    args = ["eval", "run", SUITE, "--out", str(out), "--base-url", srv.base_url,
            "--prompt", "v1", "--prompt", "v2", "-q"]  # fmt: skip
    proc = start_cli(
        args, env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    durable: set[str] = set()
    second: Path | None = None
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        runs = sorted((out / "runs").glob("v1-sloppy-*")) if (out / "runs").exists() else []
        if runs:
            second = runs[0]
            durable = _journal_users(second)
            if durable:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the eval finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.5)
    assert second is not None
    durable = _journal_users(second)  # what was on disk at the kill
    srv.clear()
    res = run_cli(args, env)
    assert res.returncode == 0, res.stderr[-3000:]
    yield {"out": out, "srv": srv, "env": env, "durable": durable, "second": second,
           "rerun_log": srv.requests(), "stdout": res.stdout, "tmp": tmp}  # fmt: skip
    srv.stop()


def _rows(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / "rows.jsonl").read_text().splitlines() if x]


def test_the_matrix_holds_every_row_exactly_once_after_a_kill(evaluated):
    out = evaluated["out"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["schema_version"] == 1 and manifest["status"] == "complete"
    assert [c["name"] for c in manifest["cells"]] == CELLS
    rows = _rows(out)
    keys = [(r["cell"], r["user_id"], r["day"]) for r in rows]
    assert len(keys) == len(set(keys)), "a row is there twice"
    # every cell wrote for the same listeners and days (the batch job's --sample FILE)
    per_cell = {c: {(u, d) for cc, u, d in keys if cc == c} for c in CELLS}
    assert len({frozenset(v) for v in per_cell.values()}) == 1
    # as many rows as the cells' batch runs hold verdicts
    verdicts = sum(
        len((out / c["run_dir"] / "verdicts" / f.name).read_text().splitlines())
        for c in manifest["cells"]
        for f in (out / c["run_dir"] / "verdicts").glob("*.jsonl")
    )
    assert verdicts == len(rows) == manifest["rows"]
    # the rerun did not pay again for a story finished before the kill
    repaid = [
        r for r in evaluated["rerun_log"]
        if r.kind == "writer" and r.user_id in evaluated["durable"] and r.delivery > 1
    ]  # fmt: skip
    assert not repaid, repaid[:3]
    import pandas as pd

    frame = pd.read_parquet(out / "rows.parquet")
    assert len(frame) == len(rows) and "m.grounding" in frame and "c.tier" in frame
    sample = [json.loads(x) for x in (out / "listeners" / "sample.jsonl").read_text().splitlines()]
    assert all(0 < s["inclusion_prob"] <= 1 for s in sample)
    assert {r["inclusion_prob"] for r in rows} <= {s["inclusion_prob"] for s in sample}


def test_the_sloppy_model_scores_worse_on_grounding_and_safety(evaluated):
    rows = _rows(evaluated["out"])

    def mean(cell: str, metric: str) -> float:
        vals = [r["metrics"][metric] for r in rows if r["cell"] == cell]
        return sum(vals) / len(vals)

    for p in ("v1", "v2"):
        assert mean(f"{p}-good-nojudge", "grounding") == 1.0
        assert mean(f"{p}-sloppy-nojudge", "grounding") < 0.9
        assert mean(f"{p}-sloppy-nojudge", "safety") < 0.9
    held = [r for r in rows if r["decision"] == "needs_review"]
    assert held and all(r["story"] for r in held), "a failing draft is kept with its text"


def test_compare_flags_the_sloppy_drop_and_passes_the_same_cell(evaluated):
    out, env = evaluated["out"], evaluated["env"]
    bad = run_cli(
        ["eval", "compare", f"{out}:v1-good-nojudge", f"{out}:v1-sloppy-nojudge",
         "--fail-on-regression"], env)  # fmt: skip
    assert bad.returncode == 1, bad.stderr
    lines = bad.stderr.strip().splitlines()
    assert any(x.startswith("regression: grounding in overall") for x in lines), lines
    assert any(x.startswith("regression: safety in overall") for x in lines), lines
    # and in the cohorts it hit (which cohorts the seeded defects land in depends on the stories'
    # text): every cohort flagged for grounding holds a sloppy story that failed grounding
    hit = {
        f"{k}={v}"
        for r in _rows(out)
        if r["cell"] == "v1-sloppy-nojudge" and r["metrics"]["grounding"] < 1
        for k, v in r["cohort"].items()
    }
    flagged = [
        m.group(1) for x in lines if (m := re.match(r"regression: grounding in (\S+=\S+):", x))
    ]
    assert flagged and set(flagged) <= hit, (flagged, hit)
    assert "95% CI" in lines[0] and "n=" in lines[0]
    same = run_cli(
        ["eval", "compare", f"{out}:v1-good-nojudge", f"{out}:v1-good-nojudge",
         "--fail-on-regression"], env)  # fmt: skip
    assert same.returncode == 0, same.stderr
    assert "regression" not in same.stderr


def test_rescore_refuses_a_run_whose_story_lost_its_year(evaluated, tmp_path):
    """Rows rescored beside rows that kept their stored checks would compare unlike with
    unlike: a story whose listener's year is missing stops the rescore with one line."""
    import shutil

    out, env = evaluated["out"], evaluated["env"]
    run = tmp_path / "run"
    cell = json.loads((out / "manifest.json").read_text())["cells"][0]
    source = Path(cell["run_dir"])
    shutil.copytree(source if source.is_absolute() else out / source, run)
    storied = {
        json.loads(x)["user_id"]
        for f in (run / "stories").glob("*.jsonl")
        for x in f.read_text().splitlines()
        if x.endswith("}")
    }
    victim = sorted(storied)[0]
    for f in (run / "user_years").glob("*.jsonl"):
        kept = [x for x in f.read_text().splitlines() if f'"user_id":"{victim}"' not in x]
        f.write_text("".join(x + "\n" for x in kept))
    res = run_cli(["eval", "rescore", str(run), "--out", str(tmp_path / "r"), "-q"], env)
    assert res.returncode == 2, res.stderr[-2000:]
    line = res.stderr.strip().splitlines()
    assert len(line) == 1 and str(run) in line[0] and victim in line[0], res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "r" / "rows.jsonl").exists()


def test_rescore_with_a_judge_makes_no_writer_call(evaluated, tmp_path):
    out, env, srv = evaluated["out"], evaluated["env"], evaluated["srv"]
    srv.clear()
    new = tmp_path / "rescored"
    res = run_cli(
        ["eval", "rescore", str(out), "--out", str(new), "--judge-model", "scripted-judge",
         "--judge-base-url", srv.base_url, "-q"], env)  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    log = srv.requests()
    assert log and all(r.kind == "judge" for r in log), [r.kind for r in log][:5]
    before = {(r["cell"], r["story_id"]): r for r in _rows(out)}
    after = _rows(new)
    assert len(after) == len(before)
    judged = [r for r in after if any(k.startswith("judge.") for k in r["metrics"])]
    assert judged, "the judge's scores are in the rescored rows"
    assert all(
        not any(k.startswith("judge.") for k in before[(r["cell"], r["story_id"])]["metrics"])
        for r in judged
    )
    # same stories, same deterministic verdicts
    for r in after:
        b = before[(r["cell"], r["story_id"])]
        assert r["story"] == b["story"]
        if r["story"]:
            assert r["metrics"]["grounding"] == b["metrics"]["grounding"]
    # calibrate the judge against labels in the review tool's export format
    labels = tmp_path / "labels.jsonl"
    with labels.open("w") as fh:
        for r in after:
            for c in r["checks"]:
                if c["name"].startswith("judge.") and c["score"] is not None:
                    human = int(r["metrics"]["grounding"] == 1.0)
                    rubric = c["name"].removeprefix("judge.")
                    fh.write(json.dumps({"story_id": r["story_id"], "rubric": rubric,
                                         "label": human, "reviewer": "r1", "note": "x"}) + "\n")  # fmt: skip
    cal = run_cli(["eval", "calibrate", "--labels", str(labels), str(new)], env)
    assert cal.returncode == 0, cal.stderr
    assert "kappa" in cal.stdout and "best threshold" in cal.stdout


def _readme_commands() -> list[list[str]]:
    import re
    import shlex

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Eval suites: run, compare, report", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```sh\n(.*?)```", section, flags=re.S)[0]
    out = []
    for line in block.splitlines():
        words = shlex.split(line.split("  #")[0].rstrip("& "))
        if words and words[0] == "wrapped" and words[1] != "fake-llm":
            out.append(words[1:])
    return out


@pytest.fixture(scope="module")
def walkthrough(evaluated):
    """run, compare and report as the README shows them (the run resumes the shared one)."""
    commands = _readme_commands()
    out, srv = evaluated["out"], evaluated["srv"]
    html = evaluated["tmp"] / "report.html"
    srv.clear()
    results = []
    for args in commands:
        args = [
            a.replace("http://127.0.0.1:8089/v1", srv.base_url)
            .replace("evals/results", str(out))
            .replace("evals/report.html", str(html))
            for a in args
        ]
        results.append((args, run_cli(args, evaluated["env"])))
    return {"commands": commands, "results": results, "log": srv.requests(), "html": html}


def test_the_readme_walkthrough_runs(walkthrough):
    commands = walkthrough["commands"]
    assert [c[:2] for c in commands] == [["eval", "run"], ["eval", "compare"], ["eval", "report"]]
    for args, res in walkthrough["results"]:
        assert res.returncode == 0, f"{args}\n{res.stderr[-2000:]}"
        if args[1] == "compare":  # without --fail-on-regression: reported, exit 0
            assert "regression: grounding in overall" in res.stderr
    # a finished eval reruns without a single model call
    assert not [r for r in walkthrough["log"] if r.kind == "writer"]
    assert walkthrough["html"].stat().st_size > 10_000


def test_report_opens_in_chromium_with_the_matrix_visible(evaluated, walkthrough, chromium):
    """The report the README's `eval report` wrote, in a real headless Chromium."""
    out, html = evaluated["out"], walkthrough["html"]
    text = html.read_text()
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org", "")
    import pandas as pd

    from wrapped.eval.report import matrix_rows

    _, rows = matrix_rows(pd.read_parquet(out / "rows.parquet"))
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    seen = watch(page)
    page.goto(html.as_uri())
    matrix = page.locator("#matrix table")
    assert matrix.is_visible()
    shown = matrix.inner_text()
    for row in rows:
        assert row[0] in shown and row[2] in shown  # the cell and its gate-pass figure
    assert page.locator("#cohorts svg").count() >= 1
    worst = page.locator("#worst").inner_text()  # the sloppy stories, beside why they failed
    assert "grounding:" in worst and "claims the data contradicts" in worst
    shot = screenshot(page, "eval-report")
    page.close()
    assert not seen.console_errors and not seen.page_errors, seen
    assert shot.stat().st_size > 10_000
