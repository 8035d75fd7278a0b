"""The monitor's false-alarm rate: over 20 seeded pairs of runs drawn from the same distribution,
at most 5% may raise any alert (slow: 40 stats computations; run with `-m slow`)."""

from __future__ import annotations

import pytest

from wrapped.demo import generate_canonical
from wrapped.monitor import load_config, monitor
from wrapped.monitor.load import RunData, from_user_years
from wrapped.settings import Settings
from wrapped.stats import compute_user_years

PAIRS = 20


def _run(seed: int) -> RunData:
    data = generate_canonical(60_000, 300, seed=seed)
    years = compute_user_years(
        data.events, profiles=data.profiles, catalog=data.catalog, settings=Settings()
    )
    return from_user_years(f"seed-{seed}", years)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_false_alarm_rate_over_20_seeded_pairs_is_at_most_5_percent():
    cfg = load_config(None)
    alarms = []
    for k in range(PAIRS):
        report = monitor(_run(1000 + 2 * k), [_run(1001 + 2 * k)], cfg)
        assert report.tests > 100  # the pair was really compared, cohort by cohort
        if report.alerts:
            alarms.append([f.line() for f in report.alerts])
    assert len(alarms) / PAIRS <= 0.05, alarms
