"""wrapped.analysis: intervals and agreement checked against hand-computed values, the fast
bootstrap against the plain index bootstrap, and a chart page in a real headless Chromium."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from _browser import screenshot, watch

from wrapped.analysis import charts, intervals, page
from wrapped.analysis.cohorts import COHORT_KEYS, parse_keys


def test_cohen_kappa_matches_a_hand_computed_table() -> None:
    # observed agreement 4/5; marginals a: 2/5 vs 1/5, b: 2/5 vs 3/5, c: 1/5 vs 1/5
    # chance = .4*.2 + .4*.6 + .2*.2 = .36 ; kappa = (.8 - .36) / (1 - .36) = .6875
    assert intervals.cohen_kappa(list("aabbc"), list("abbbc")) == pytest.approx(0.6875)
    assert intervals.cohen_kappa(list("abab"), list("abab")) == pytest.approx(1.0)
    assert math.isnan(intervals.cohen_kappa(list("aaa"), list("aaa")))  # chance agreement is 1


def test_fleiss_kappa_matches_a_hand_computed_table() -> None:
    # 3 items, 3 raters: P_i = 1, 1, 0 -> P_bar = 2/3; p_j = (1/9, 4/9, 4/9) -> P_e = 33/81
    want = (2 / 3 - 33 / 81) / (1 - 33 / 81)
    assert intervals.fleiss_kappa([[0, 0, 3], [0, 3, 0], [1, 1, 1]]) == pytest.approx(want)
    with pytest.raises(ValueError):
        intervals.fleiss_kappa([[1, 1], [2, 1]])


def test_level_bootstrap_agrees_with_the_index_bootstrap() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(1, 6, size=400).astype(float)  # a judge's 1..5 scores
    fast = intervals.bootstrap_means(x, 4000, np.random.default_rng(1))
    slow = x[np.random.default_rng(2).integers(0, x.size, size=(4000, x.size))].mean(axis=1)
    assert fast.mean() == pytest.approx(slow.mean(), abs=0.01)
    assert fast.std() == pytest.approx(slow.std(), rel=0.08)


def test_paired_difference_interval_covers_the_truth_and_excludes_zero() -> None:
    rng = np.random.default_rng(3)
    base = (rng.random(5000) < 0.9).astype(float)
    new = np.where(rng.random(5000) < 0.1, 0.0, base)  # a 10% drop on passing rows
    ci = intervals.paired_diff_ci(base, new)
    assert ci.n == 5000 and ci.high < 0 and ci.contains(-0.09)
    same = intervals.paired_diff_ci(base, base)
    assert same.value == 0 and same.low == 0 and same.high == 0


def test_weighted_mean_undoes_oversampling() -> None:
    # stratum A (p=1/2) all pass, stratum B (p=1/10) all fail: weights 2 and 10
    x = [1, 1, 0, 0]
    p = [0.5, 0.5, 0.1, 0.1]
    assert intervals.weighted_mean_ci(x, p).value == pytest.approx(4 / 24)


def test_cohort_keys_are_checked() -> None:
    assert parse_keys("country, tier") == ("country", "tier")
    assert parse_keys(None) == COHORT_KEYS
    with pytest.raises(ValueError, match="shoe_size"):
        parse_keys("country,shoe_size")


def test_a_report_page_is_self_contained_and_escaped(tmp_path, chromium) -> None:
    svg = charts.bars_with_intervals(
        ["v1 × sloppy", "v2 × good"], [0.61, 0.93], [0.55, 0.9], [0.67, 0.96], title="pass rate"
    )
    heat = charts.heatmap(
        ["JP", "BR"],
        ["pass", "grounded"],
        [[-0.2, 0.01], [0.0, 0.05]],
        title="Δ by cohort",
        center=0,
    )
    body = page.table(["cell", "title"], [["v1", "<img src=x onerror=alert(1)>"]])
    html = page.render_page(
        "Eval <report>", [page.Section("Matrix", body), page.Section("Charts", svg + heat)]
    )
    # no CDN, fonts or scripts from elsewhere: nothing is loaded from a URL
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)
    out = tmp_path / "report.html"
    out.write_text(html, encoding="utf-8")
    pg = chromium.new_page()
    seen = watch(pg)
    pg.goto(out.as_uri())
    assert pg.title() == "Eval <report>"
    assert "<img src=x onerror=alert(1)>" in pg.inner_text("table")
    assert "0.93" in pg.inner_text("body") or "pass rate" in pg.content()
    screenshot(pg, "analysis-page")
    pg.close()
    assert seen.console_errors == [] and seen.page_errors == [] and seen.dialogs == []
