"""Suite files, command-line axes and the stratified sample (fast, no server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wrapped.errors import ConfigError
from wrapped.eval.listeners import stratified_sample
from wrapped.eval.metrics import add_sameness, distinct_n, reading_ease
from wrapped.eval.suite import load_suite, parse_model_spec, with_overrides

SUITES = Path(__file__).resolve().parents[1] / "evals" / "suites"


@pytest.mark.parametrize("name", ["smoke", "cohorts"])
def test_the_shipped_suites_load(name):
    suite = load_suite(SUITES / f"{name}.toml")
    assert suite.name == name and suite.thresholds["grounding"].max_drop == 0.05
    assert Path(suite.listeners.source).is_dir()


def test_cohorts_suite_compares_v1_with_v2_judged():
    suite = load_suite(SUITES / "cohorts.toml")
    assert suite.prompts == ["v1", "v2"] and suite.judges[0].enabled


def test_the_command_line_replaces_an_axis():
    suite = load_suite(SUITES / "smoke.toml")
    new = with_overrides(
        suite, prompts=["v2"], models=["fast=gpt-4o-mini@http://127.0.0.1:9/v1", "local=scripted"],
        base_url="http://127.0.0.1:8/v1",
    )  # fmt: skip
    assert new.prompts == ["v2"]
    assert [(m.alias, m.model, m.base_url) for m in new.models] == [
        ("fast", "gpt-4o-mini", "http://127.0.0.1:9/v1"),
        ("local", "scripted", "http://127.0.0.1:8/v1"),
    ]
    with pytest.raises(ConfigError, match="ALIAS=MODEL"):
        parse_model_spec("no-alias")


def test_a_bad_suite_is_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'prompts = ["v1"]\n[[models]]\nalias = "a"\nmodel = "m"\n'
        '[listeners]\nsource = "x"\nstrata = ["shoe_size"]\n'
    )
    with pytest.raises(ConfigError, match="shoe_size"):
        load_suite(bad)


def test_stratified_sample_records_inclusion_probabilities():
    cohorts = {f"u{i}": {"tier": "free" if i < 6 else "premium"} for i in range(8)}
    rows = stratified_sample(cohorts, strata=["tier"], per_stratum=2, seed=1)
    by_tier = {r.cohort["tier"]: r.inclusion_prob for r in rows}
    assert by_tier == {"free": 2 / 6, "premium": 1.0}
    assert len(rows) == 4
    assert rows == stratified_sample(cohorts, strata=["tier"], per_stratum=2, seed=1)


def test_sameness_and_text_metrics():
    stories = ["You played Abba all day long.", "You played Abba all day long.", "Rain fell."]
    metrics: list[dict[str, float | None]] = [{}, {}, {}]
    add_sameness(metrics, ["A", "A", "B"], stories)
    assert [m["unique_opening"] for m in metrics] == [0.0, 0.0, 1.0]
    assert [m["unique_title"] for m in metrics] == [0.0, 0.0, 1.0]
    assert distinct_n(["a b c", "a b d"], 2) == 3 / 4
    assert reading_ease("") is None and reading_ease("You ran. It was fun.") > 80
