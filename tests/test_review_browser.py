"""The review tool end to end: a stored run, a real `wrapped review sample`, a real `wrapped
review serve` subprocess, and headless Chromium driving the page with the keyboard only.

The run is written by the synthetic run writer (tests/_review_synth.py: sealed shards the store
reads as it reads `wrapped generate`'s), one listener's day logs opening with hostile titles:
generating it with Ray took over a minute and the review tool only reads what a run stored.
The page's screenshot is a test artifact (tests/artifacts); WRAPPED_UPDATE_SCREENSHOTS=1 also
copies it to docs/review-page.png, the README's picture."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from _batch_helpers import REPO, cli_env, run_cli, start_cli
from _browser import screenshot, watch
from _review_synth import make_run

from wrapped.review import ReviewSet

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"


class Served:
    def __init__(self, url: str, folder: Path, run: Path, env: dict[str, str], out: Path):
        self.url, self.folder, self.run, self.env, self.out = url, folder, run, env, out
        self.base = url.split("/?token=")[0]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("review")
    env = cli_env(tmp)
    run = make_run(tmp / "runs" / "r1", listeners=4, days=5, seed=11, hostile=(SCRIPT, IMG))
    res = run_cli(["review", "sample", str(run), "--n", "20", "--out", str(tmp / "rev"), "-q"], env)
    assert res.returncode == 0, res.stderr
    assert re.match(r"sampled \d+ of \d+ stories into ", res.stdout)
    proc = start_cli(["review", "serve", str(tmp / "rev")], env, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        m = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
        assert m, line
        yield Served(m.group(1), tmp / "rev", run, env, tmp / "runs")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _sid(url: str) -> str:
    return re.search(r"/story/(\d+)", url).group(1)  # type: ignore[union-attr]


def _session(s: Served, name: str) -> tuple[httpx.Client, str]:
    """An HTTP client past the token, with a reviewer name; returns it and the CSRF token."""
    c = httpx.Client(base_url=s.base, follow_redirects=True, timeout=20)
    page = c.get(s.url).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    c.post("/reviewer", data={"csrf": csrf, "name": name})
    return c, csrf


def test_without_the_token_the_page_is_refused(served: Served) -> None:
    for path in ("/", "/story/1", "/static/review.js", f"/?token=wrong{served.url[-4:]}"):
        r = httpx.get(served.base + path, follow_redirects=False)
        assert r.status_code == 401, path
    ok = httpx.get(served.url, follow_redirects=False)
    assert ok.status_code == 303 and "httponly" in ok.headers["set-cookie"].lower()


def test_a_label_post_without_the_csrf_token_is_refused(served: Served) -> None:
    c, csrf = _session(served, "mallory")
    for data in ({"verdict": "approve"}, {"verdict": "approve", "csrf": "x" + csrf}):
        r = c.post("/story/1/label", data=data, follow_redirects=False)
        assert r.status_code == 403
    assert ReviewSet.open(served.folder).label(1, "mallory") is None
    page = c.get("/story/1")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp


def _keys_ready(page) -> None:
    """Wait until review.js (deferred) listens for keys on the page now shown."""
    page.wait_for_selector("html[data-keys='on']", state="attached")


def test_three_stories_labelled_with_the_keyboard_survive_a_reload(
    served: Served, chromium
) -> None:
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    seen = watch(page)
    page.goto(served.url)
    page.keyboard.type("ada")
    page.keyboard.press("Enter")
    page.wait_for_selector("#story")
    _keys_ready(page)
    first = _sid(page.url)
    page.keyboard.press("?")
    page.wait_for_selector("#help", state="visible")
    page.keyboard.press("Escape")
    assert page.locator("#blind").is_visible()  # judge hidden before a label (blind mode)
    page.keyboard.press("a")  # 1: approve
    page.wait_for_selector("#saved")
    _keys_ready(page)
    assert "Decision" in page.locator("#gate").inner_text()  # shown once labelled
    page.keyboard.press("j")
    page.wait_for_url(lambda u: _sid(u) != first)
    _keys_ready(page)
    second = _sid(page.url)
    page.keyboard.press("r")  # no reason yet: asks for one, saves nothing
    page.wait_for_selector("#need-reason", state="visible")
    page.keyboard.press("1")
    page.keyboard.press("5")
    page.keyboard.press("r")  # 2: reject (factual error, tone)
    page.wait_for_selector("#saved")
    _keys_ready(page)
    page.keyboard.press("j")
    page.wait_for_url(lambda u: _sid(u) != second)
    _keys_ready(page)
    third = _sid(page.url)
    page.keyboard.press("n")
    page.keyboard.type("reads well")
    page.keyboard.press("Escape")
    page.keyboard.press("a")  # 3: approve with a note
    page.wait_for_selector("#saved")
    _keys_ready(page)
    shot = screenshot(page, "review-page")
    if os.environ.get("WRAPPED_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(shot, REPO / "docs" / "review-page.png")
    expected = {
        first: ("approve", ""),
        second: ("reject", "factual error, tone"),
        third: ("approve", ""),
    }
    for sid, (verdict, reasons) in expected.items():
        page.goto(f"{served.base}/story/{sid}")
        page.reload()
        text = page.locator("#current-label").inner_text()
        assert verdict in text and reasons in text, (sid, text)
    assert page.locator("#note").input_value() == "reads well"
    labels = [lab for lab in ReviewSet.open(served.folder).labels() if lab.reviewer == "ada"]
    assert sorted(lab.verdict for lab in labels) == ["approve", "approve", "reject"]
    assert not seen.dialogs and not seen.page_errors and not seen.console_errors


def test_hostile_titles_show_as_text_and_open_no_dialog(served: Served, chromium) -> None:
    rs = ReviewSet.open(served.folder)
    hits = [
        r.id
        for r in rs.rows()
        if r.item.evidence_day and {SCRIPT, IMG} & {e.title for e in r.item.evidence_day.log}
    ]
    assert hits, "the hostile listener's day logs were not sampled"
    c, _ = _session(served, "eve")
    page = chromium.new_page()
    seen = watch(page)
    page.context.add_cookies(
        [{"name": k, "value": v, "url": served.base} for k, v in c.cookies.items()]
    )
    page.goto(f"{served.base}/story/{hits[0]}")
    log = page.locator("#log").inner_text()
    assert SCRIPT in log or IMG in log
    assert page.locator("#log img").count() == 0 and page.locator("#log script").count() == 0
    page.wait_for_timeout(300)
    assert seen.dialogs == [] and not seen.page_errors
    screenshot(page, "review-hostile")


def test_two_reviewers_labelling_at_once_lose_no_label(served: Served) -> None:
    ids = [r.id for r in ReviewSet.open(served.folder).rows()]
    errors: list[str] = []

    def label_all(name: str, verdict: str) -> None:
        c, csrf = _session(served, name)
        for i in ids:
            data = {"csrf": csrf, "verdict": verdict, "reason": "tone"}
            r = c.post(f"/story/{i}/label", data=data, follow_redirects=False)
            if r.status_code != 303:
                errors.append(f"{name} {i} {r.status_code}")

    threads = [
        threading.Thread(target=label_all, args=a) for a in (("ann", "approve"), ("bob", "reject"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    labels = ReviewSet.open(served.folder).labels()
    for name, verdict in (("ann", "approve"), ("bob", "reject")):
        mine = [lab for lab in labels if lab.reviewer == name]
        assert sorted(lab.story_key for lab in mine) == sorted(ids)
        assert {lab.verdict for lab in mine} == {verdict}
    rep = run_cli(["review", "report", str(served.folder), "--json"], served.env)
    assert rep.returncode == 0, rep.stderr
    out = json.loads(rep.stdout)
    assert out["reviewers"] == ["ada", "ann", "bob"] and out["labelled"] == len(ids)
    exp = run_cli(
        ["review", "export", str(served.folder), "--out", str(served.folder / "l.jsonl")],
        served.env,
    )
    assert exp.returncode == 0, exp.stderr
    rows = [json.loads(x) for x in (served.folder / "l.jsonl").read_text().splitlines()]
    assert {"story_id", "run", "reviewer", "rubric", "label"} <= set(rows[0])
    assert {r["label"] for r in rows if r["reviewer"] == "bob" and r["rubric"] == "tone"} == {0}


def test_erase_removes_the_listener_from_the_review_set(served: Served) -> None:
    rs = ReviewSet.open(served.folder)
    uid = next(
        r.item.user_id
        for r in rs.rows()
        if r.item.evidence_day and any(e.title == SCRIPT for e in r.item.evidence_day.log)
    )
    before = rs.count()
    res = run_cli(["erase", "--user", uid, "--runs", str(served.out)], served.env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "review set" in res.stdout
    after = ReviewSet.open(served.folder)
    assert after.count() < before
    assert all(r.item.user_id != uid for r in after.rows())
    assert uid.encode() not in after.path.read_bytes()
    assert uid not in (served.folder / "l.jsonl").read_text()  # the export kept beside it too


def test_serving_beyond_loopback_warns(served: Served) -> None:
    proc = start_cli(
        ["review", "serve", str(served.folder), "--host", "0.0.0.0"],
        served.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline()  # type: ignore[union-attr]  # printed once listening
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert re.match(r"review page: http://0\.0\.0\.0:\d+/\?token=", url), url
    warning = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warning == [
        "warning: serving on 0.0.0.0, not loopback: anyone who can reach it and has the URL "
        "can read these stories"
    ], err
    assert "127.0.0.1" in served.url  # the default binds loopback
