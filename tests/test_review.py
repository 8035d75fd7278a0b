"""The review tool without a browser: sampling (seeded, stratified, inclusion probabilities),
κ against hand-computed examples, the export's rows, the weighted defect rate. Runs are built
synthetically through the store's models (tests/_review_synth.py): fast, no generation."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from _batch_helpers import cli_env, run_cli
from _review_synth import make_run

from wrapped.review import Label, ReviewSet, draw, export_rows, report
from wrapped.review.highlight import segments
from wrapped.story import Claim


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_run(tmp_path_factory.mktemp("syn") / "r1", listeners=60, days=5, seed=3)


def test_the_sample_is_seeded_stratified_and_knows_each_inclusion_probability(
    run: Path, tmp_path: Path
) -> None:
    a = draw([run], n=60, out=tmp_path / "a", seed=7)
    b = draw([run], n=60, out=tmp_path / "b", seed=7)
    c = draw([run], n=60, out=tmp_path / "c", seed=8)
    ids = lambda rs: [r.item.story_id for r in rs.rows()]  # noqa: E731
    assert ids(a) == ids(b) and ids(a) != ids(c)
    assert a.count() == 60 and len(set(ids(a))) == 60
    with a.connect() as db:
        strata = {k: (N, m) for k, _, N, m in db.execute("SELECT * FROM strata")}
    assert sum(N for N, _ in strata.values()) == 300
    by = Counter(r.stratum for r in a.rows())
    for row in a.rows():  # simple random sampling within a stratum: π = n_h / N_h
        N, m = strata[row.stratum]
        assert row.inclusion_prob == pytest.approx(m / N)
        assert by[row.stratum] == m
    assert all("country=" in k and "judge_band=" in k for k in strata)
    # the run remembers the set, so `wrapped erase` finds it
    assert (tmp_path / "a").resolve() in [p.resolve() for p in _registered(run)]


def _registered(run: Path) -> list[Path]:
    from wrapped.review import registered_sets

    return registered_sets(run)


def test_adversarial_sampling_over_samples_risky_stories(run: Path, tmp_path: Path) -> None:
    plain = draw([run], n=80, out=tmp_path / "p", strata=("decision",), seed=1)
    adv = draw([run], n=80, out=tmp_path / "q", strata=("decision",), adversarial=True, seed=1)

    def risky(rs: ReviewSet) -> int:
        return sum(bool(r.item.risks) for r in rs.rows())

    assert risky(adv) > risky(plain)
    probs = [r.inclusion_prob for r in adv.rows()]
    assert len(set(probs)) > 1 and all(0 < p <= 1 for p in probs)


def _set_with_labels(run: Path, out: Path, table: dict[str, list[int]]) -> ReviewSet:
    rs = draw([run], n=len(next(iter(table.values()))), out=out, strata=("decision",), seed=2)
    ids = [r.id for r in rs.rows()]
    for who, labels in table.items():
        for i, good in zip(ids, labels, strict=True):
            reasons = [] if good else ["tone"]
            rs.save(
                Label(
                    story_key=i,
                    reviewer=who,
                    verdict="approve" if good else "reject",
                    reasons=reasons,
                )
            )
    return rs


def test_cohen_kappa_matches_a_hand_computed_example(run: Path, tmp_path: Path) -> None:
    # p_o = 7/10; p(ann=1) = .6, p(bob=1) = .5; p_e = .6·.5 + .4·.5 = .5; κ = (.7-.5)/.5 = .4
    rs = _set_with_labels(
        run,
        tmp_path / "k",
        {
            "ann": [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
            "bob": [1, 1, 1, 1, 0, 0, 0, 0, 0, 1],
        },
    )
    rep = report(rs, n_boot=200)
    assert rep.agreement_method == "cohen"
    assert rep.agreement["overall"].value == pytest.approx(0.4)
    assert rep.agreement["tone"].value == pytest.approx(0.4)  # the same reason on each reject
    assert rep.agreement["overall"].low <= 0.4 <= rep.agreement["overall"].high
    res = run_cli(["review", "report", str(rs.folder)], cli_env(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "cohen kappa" in res.stdout and "overall     0.400" in res.stdout


def test_fleiss_kappa_matches_a_hand_computed_example(run: Path, tmp_path: Path) -> None:
    # items × (reject, approve): (0,3) (3,0) (1,2) (2,1): P_i = 1, 1, 1/3, 1/3 → P̄ = 2/3;
    # p_j = (.5, .5) → P_e = .5; κ = (2/3 - 1/2) / (1/2) = 1/3
    rs = _set_with_labels(
        run,
        tmp_path / "f",
        {
            "ann": [1, 0, 1, 0],
            "bob": [1, 0, 1, 1],
            "cy": [1, 0, 0, 0],
        },
    )
    rep = report(rs, n_boot=200)
    assert rep.agreement_method == "fleiss (3 reviewers per story)"
    assert rep.agreement["overall"].value == pytest.approx(1 / 3, abs=1e-4)


def test_export_rows_and_the_weighted_defect_rate(run: Path, tmp_path: Path) -> None:
    rs = _set_with_labels(run, tmp_path / "e", {"ann": [1, 0, 1, 1]})
    rows = export_rows(rs)
    assert len(rows) == 4 * 8  # overall + 7 rubrics per label
    rejected = [r for r in rows if r["label"] == 0]
    assert {r["rubric"] for r in rejected} == {"overall", "tone"}
    assert rows[0]["story_id"].count("/") == 1 and rows[0]["run"] == "r1"
    rep = report(rs, n_boot=200)
    probs = {r.id: r.inclusion_prob for r in rs.rows()}
    w = [1 / p for p in probs.values()]
    bad = [0, 1, 0, 0]
    expected = sum(x * y for x, y in zip(bad, w, strict=True)) / sum(w)
    assert rep.defect_rate["r1"].value == pytest.approx(expected, abs=1e-4)
    res = run_cli(
        ["review", "export", str(rs.folder), "--out", str(tmp_path / "l.parquet")],
        cli_env(tmp_path),
    )
    assert res.returncode == 0, res.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "l.parquet").num_rows == 32
    assert json.loads(json.dumps(rows[0]))["label"] in (0, 1)


def test_claims_are_placed_by_text_words_or_number() -> None:
    story = "On Tuesday, February 13 you pressed play 23 times for 35 minutes."
    claims = [
        Claim(kind="date", text="Tuesday February 13", grounded=True, fact="date=2024-02-13"),
        Claim(kind="number", text="23 count", grounded=True, fact="day.facts.plays=23"),
        Claim(kind="number", text="35 minutes", grounded=False, why="it was 34"),
        Claim(kind="name", text="Nobody", grounded=False, why="unknown artist"),
    ]
    segs, unplaced = segments(story, claims)
    placed = {s.text: s.claim for s in segs if s.claim is not None}
    assert placed == {"Tuesday, February 13": 0, "23": 1, "35 minutes": 2}
    assert unplaced == [3]
    assert "".join(s.text for s in segs) == story


def test_needs_review_stories_are_drawn_only_when_included(tmp_path: Path) -> None:
    run = make_run(tmp_path / "r2", listeners=20, days=5, seed=4, held=0.3)
    plain = draw([run], n=100, out=tmp_path / "a", strata=("decision",))
    held = draw([run], n=100, out=tmp_path / "b", strata=("decision",), include=("needs_review",))
    assert {r.item.decision for r in plain.rows()} <= {"pass", "fallback"}
    assert plain.count() < held.count() == 100  # every story of the run, held ones too
    assert "needs_review" in {r.item.decision for r in held.rows()}
    for r in held.rows():
        held.save(Label(story_key=r.id, reviewer="ann", verdict="approve"))
    gate = report(held, n_boot=50).gate
    assert gate["held_but_approved"] >= sum(r.item.decision == "needs_review" for r in held.rows())
    assert gate["precision"] == 0.0 and gate["recall"] is None


def test_serve_refuses_a_folder_that_is_not_a_review_set(tmp_path: Path) -> None:
    res = run_cli(["review", "serve", str(tmp_path)], cli_env(tmp_path))
    assert res.returncode == 2 and "not a review set" in res.stderr
