"""`wrapped monitor` end to end through the CLI, on seeded demo data with planted faults.

Stats-only runs (a `wrapped stats` folder per run) keep this fast: the input figures, skew and
invariants are what the time-zone and catalog faults move. The runs with stories (and the prompt
that breaks one locale) are in test_monitor_stories.py (slow).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from _browser import screenshot, watch

from wrapped.cli.main import main
from wrapped.monitor import Report, load_config
from wrapped.monitor.tests import adjust, categorical, psi_from_counts, rate
from wrapped.stats.source_format import format_of

LISTENERS, EVENTS = "300", "60000"
ALERT = re.compile(r"^ALERT (\S+) \[([^\]]+)\]")


def _cli(*args: str) -> tuple[int, str]:
    """The real CLI in-process; a `WrappedError` becomes its line and exit code as in `main`."""
    buf = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, buf.getvalue()


README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Monitoring and schedulers", 1)[1].split("\n## ", 1)[0]
README_CMDS = [
    shlex.split(line)[1:]
    for line in re.search(r"```sh\n(.*?)```", SECTION, re.S).group(1).splitlines()  # type: ignore[union-attr]
    if line.startswith("wrapped ")
]


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def stats_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Stats-only runs: the README's (baseline seed 1, and the same data with tz-shift:JP),
    the same data with catalog-gap:BR, and another seed of the same distribution."""
    root = tmp_path_factory.mktemp("monitor")
    with _cwd(root):
        for args in README_CMDS:
            if args[0] != "monitor":
                code, text = _cli(*args)
                assert code == 0, (args, text)
        for name, seed, plant in (("gap", "1", ["--plant", "catalog-gap:BR"]), ("other", "2", [])):
            code, text = _cli("demo-data", "--out", f"demo/{name}", "--events", EVENTS,
                              "--listeners", LISTENERS, "--seed", seed, *plant)  # fmt: skip
            assert code == 0, text
            code, text = _cli("stats", f"demo/{name}", "--out", f"demo/stats-{name}")
            assert code == 0, text
    return {n: root / "demo" / f"stats-{n}" for n in ("base", "tz", "gap", "other")}


_REPORTS: dict[str, tuple[int, str, Path]] = {}


def _report(stats_runs: dict[str, Path], run: str) -> tuple[int, str, Path]:
    """The README's monitor command for "tz" (the same for "gap"), once per module; the path
    of its --json/--html files without suffix."""
    if run not in _REPORTS:
        (args,) = [a for a in README_CMDS if a[0] == "monitor"]
        args = [a.replace("stats-tz", f"stats-{run}").replace("monitor.", f"monitor-{run}.")
                for a in args]  # fmt: skip
        if run != "tz":  # the browser test opens the README's report; no other is drawn
            i = args.index("--html")
            args = args[:i] + args[i + 2 :]
        with _cwd(stats_runs["base"].parents[1]):
            code, text = _cli(*args)
        _REPORTS[run] = (code, text, stats_runs["base"].parents[1] / f"monitor-{run}")
    return _REPORTS[run]


def _alerts(text: str) -> list[tuple[str, str]]:
    return [m.groups() for line in text.splitlines() if (m := ALERT.match(line))]


@pytest.mark.parametrize(
    ("run", "cohort", "must"),
    [
        ("tz", "country=JP", {"input.day.peak_hour", "invariant.day.night_share"}),
        ("gap", "country=BR", {"input.top_genre_known"}),
    ],
)
def test_a_planted_fault_is_flagged_in_its_cohort_and_nowhere_else(stats_runs, run, cohort, must):
    code, text, out = _report(stats_runs, run)
    assert code == 1, text
    alerts = _alerts(text)
    assert alerts, text
    assert {c for _, c in alerts} == {cohort}, text
    assert must <= {m for m, _ in alerts}, text
    assert ("skew.days_changed", cohort) in alerts  # the same listeners' days moved
    report = Report.model_validate_json(out.with_suffix(".json").read_text())
    assert [f.line() for f in report.alerts] == [
        line for line in text.splitlines() if line.startswith("ALERT")
    ]
    # the wider cohorts holding these listeners moved too, and say which cohort explains them
    assert all(f.explained_by in (None, cohort) for f in report.findings)
    assert report.correction == "holm" and report.tests > 100
    assert {"all", "country", "tier", "activity_band"} <= {f.key for f in report.findings}


def test_the_same_distribution_with_another_seed_gives_no_alert(stats_runs):
    code, text = _cli("monitor", str(stats_runs["other"]), "--baseline", str(stats_runs["base"]))
    assert code == 0, text
    assert _alerts(text) == []
    assert re.search(r"0 alert\(s\) from \d+ figures \(\d+ tests, holm", text)


def test_a_bad_config_or_run_folder_is_one_line_and_exit_2(stats_runs, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('cohorts = ["country", "shoe_size"]\n')
    code, text = _cli("monitor", str(stats_runs["tz"]), "--baseline", str(stats_runs["base"]),
                      "--config", str(bad))  # fmt: skip
    assert code == 2 and "shoe_size" in text
    code, text = _cli("monitor", str(tmp_path), "--baseline", str(stats_runs["base"]))
    assert code == 2 and "not a run folder" in text


def test_the_default_config_is_packaged_and_printed():
    code, text = _cli("monitor-config")
    assert code == 0 and "min_cohort" in text
    cfg = load_config(None)
    assert cfg.correction == "holm" and "source_format" in cfg.cohorts


def test_psi_holm_and_rates_by_hand():
    # PSI = sum (n - b) ln(n / b): shares (0.5, 0.5) -> (0.25, 0.75)
    want = (0.25 - 0.5) * np.log(0.25 / 0.5) + (0.75 - 0.5) * np.log(0.75 / 0.5)
    assert psi_from_counts(np.array([50, 50]), np.array([25, 75])) == pytest.approx(want)
    assert psi_from_counts(np.array([10, 30]), np.array([20, 60])) == pytest.approx(0.0)
    # Holm: sorted p (0.01, 0.02, 0.04) x (3, 2, 1), running max
    assert adjust([0.04, 0.01, 0.02], "holm").tolist() == pytest.approx([0.04, 0.03, 0.04])
    assert adjust([0.04, 0.01, 0.02], "bonferroni").tolist() == pytest.approx([0.12, 0.03, 0.06])
    r = rate(np.array([1, 0, 0, 0] * 25, bool), np.array([1, 1, 0, 0] * 25, bool))
    assert (r.base, r.now, r.effect) == (0.25, 0.5, 0.25) and r.p < 0.01
    same = categorical(["a", "b"] * 50, ["a", "b"] * 50)
    assert same.effect == pytest.approx(0.0) and same.p > 0.9


def test_source_format_is_read_from_the_export_file_names():
    assert format_of("Streaming_History_Audio_2024_0.json#3") == "spotify_extended"
    assert format_of("endsong_0.json#1") == "spotify_extended"
    assert format_of("StreamingHistory_music_0.json#0") == "spotify_account"
    assert format_of("listenbrainz_sami_1735689600.zip!listens.jsonl#2") == "listenbrainz"
    assert format_of("scrobbles.csv#9") == "lastfm"
    assert format_of(None) == "canonical"


def test_demo_data_refuses_an_unknown_fault(tmp_path):
    code, text = _cli("demo-data", "--out", str(tmp_path), "--plant", "tz-shift:XX")
    assert code == 2 and "tz-shift" in text


def test_the_html_report_opens_in_a_browser_without_errors(stats_runs, chromium):
    code, _, out = _report(stats_runs, "tz")
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)  # self-contained
    pg = chromium.new_page()
    seen = watch(pg)
    pg.goto(out.with_suffix(".html").as_uri())
    assert pg.title() == "wrapped monitor"
    alerts = pg.inner_text("section#s0")
    assert "country=JP" in alerts and "day.peak_hour" in alerts
    assert pg.locator("svg").count() >= 3  # alert bars and a heat map per section
    screenshot(pg, "monitor-report")
    pg.close()
    assert seen.console_errors == [] and seen.page_errors == [] and seen.dialogs == []


EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "schedulers"


def test_the_scheduler_examples_parse_and_use_only_the_cli():
    import py_compile
    import subprocess

    import yaml

    job = yaml.safe_load((EXAMPLES / "kubernetes-cronjob.yaml").read_text())
    assert job["kind"] == "CronJob"
    pod = job["spec"]["jobTemplate"]["spec"]
    assert pod["backoffLimit"] == 0 and pod["template"]["spec"]["restartPolicy"] == "Never"
    py_compile.compile(str(EXAMPLES / "airflow_dag.py"), doraise=True)
    dag = (EXAMPLES / "airflow_dag.py").read_text()
    assert "ingest >> stats >> generate >> monitor >> review_sample" in dag
    assert subprocess.run(["sh", "-n", str(EXAMPLES / "pipeline.sh")]).returncode == 0
    chain = [ln.split()[1] for ln in (EXAMPLES / "pipeline.sh").read_text().splitlines()
             if ln.startswith("wrapped ")]  # fmt: skip
    assert chain == ["ingest", "stats", "generate", "monitor"]
    cron = [ln for ln in (EXAMPLES / "crontab").read_text().splitlines()
            if ln and not ln.startswith("#") and "=" not in ln.split()[0]]  # fmt: skip
    assert len(cron) == 1 and len(cron[0].split()) > 5 and "pipeline.sh" in cron[0]
