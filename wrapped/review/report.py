"""`wrapped review export` and `wrapped review report`: labels out as rows, and the figures that
calibrate the judge and the gate.

- reviewer–reviewer agreement: Cohen's κ when two people labelled, Fleiss' κ when more (items
  rated by the most common number of reviewers), each with a bootstrap interval over stories;
- judge–human agreement per rubric: the judge's pass/fail on a rubric against each reviewer's
  label on that rubric (Cohen's κ, and the raw agreement);
- the gate as a defect detector: a story the gate held (its final attempt failed) against the
  reviewers' verdict (rejected by the majority), as precision and recall;
- each run's defect rate, weighted back to the whole run by the inclusion probabilities.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from wrapped.analysis.intervals import Interval, fleiss_kappa, kappa_ci, weighted_mean_ci
from wrapped.errors import ConfigError
from wrapped.review.db import ReviewSet, Row
from wrapped.review.model import JUDGE_RUBRIC, RUBRICS, Label


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Figure(_Model):
    value: float | None
    low: float | None
    high: float | None
    n: int

    @classmethod
    def of(cls, iv: Interval) -> Figure:
        def f(x: float) -> float | None:
            return None if not np.isfinite(x) else round(float(x), 4)

        return cls(value=f(iv.value), low=f(iv.low), high=f(iv.high), n=iv.n)

    def text(self) -> str:
        if self.value is None:
            return f"n/a (n={self.n})"
        ci = f" [{self.low:.3f}, {self.high:.3f}]" if self.low is not None else ""
        return f"{self.value:.3f}{ci} (n={self.n})"


class Report(_Model):
    stories: int
    labelled: int
    reviewers: list[str]
    agreement_method: str | None
    agreement: dict[str, Figure]
    judge_human: dict[str, Figure]
    judge_raw_agreement: dict[str, float]
    gate: dict[str, float | int | None]
    defect_rate: dict[str, Figure]


def export_rows(rs: ReviewSet) -> list[dict[str, Any]]:
    """One row per (story, reviewer, rubric): what `wrapped eval calibrate` reads."""
    rows = {r.id: r for r in rs.rows()}
    out = []
    for lab in rs.labels():
        row = rows[lab.story_key]
        for rubric, value in lab.rubric_labels().items():
            out.append(
                {
                    "story_id": row.item.story_id,
                    "run": row.item.run_id,
                    "reviewer": lab.reviewer,
                    "rubric": rubric,
                    "label": value,
                    "reasons": lab.reasons,
                    "note": lab.note,
                    "score": lab.scores.get(rubric),
                    "user_id": row.item.user_id,
                    "day": row.item.day.isoformat(),
                    "decision": row.item.decision,
                    "inclusion_prob": row.inclusion_prob,
                }
            )
    return out


def export(rs: ReviewSet, out: Path) -> int:
    rows = export_rows(rs)
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    if suffix == ".jsonl":
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    elif suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), tmp)
    else:
        raise ConfigError(f"--out must end in .jsonl or .parquet, not {out.name!r}")
    tmp.replace(out)
    return len(rows)


def report(rs: ReviewSet, *, n_boot: int = 1000, seed: int = 0) -> Report:
    rows = {r.id: r for r in rs.rows()}
    labels = rs.labels()
    by_item: dict[int, dict[str, Label]] = defaultdict(dict)
    for lab in labels:
        by_item[lab.story_key][lab.reviewer] = lab
    reviewers = sorted({lab.reviewer for lab in labels})
    method, agreement = _agreement(by_item, reviewers, n_boot, seed)
    judge, raw = _judge_human(rows, labels, n_boot, seed)
    return Report(
        stories=len(rows),
        labelled=len(by_item),
        reviewers=reviewers,
        agreement_method=method,
        agreement=agreement,
        judge_human=judge,
        judge_raw_agreement=raw,
        gate=_gate(rows, by_item),
        defect_rate=_defects(rows, by_item, rs, n_boot, seed),
    )


def _agreement(
    by_item: dict[int, dict[str, Label]], reviewers: list[str], n_boot: int, seed: int
) -> tuple[str | None, dict[str, Figure]]:
    multi = {k: v for k, v in by_item.items() if len(v) >= 2}
    if not multi:
        return None, {}
    out: dict[str, Figure] = {}
    if len(reviewers) == 2:
        a, b = reviewers
        both = [v for v in multi.values() if a in v and b in v]
        for rubric in ("overall", *RUBRICS):
            xa = [v[a].rubric_labels()[rubric] for v in both]
            xb = [v[b].rubric_labels()[rubric] for v in both]
            out[rubric] = Figure.of(kappa_ci(xa, xb, n_boot=n_boot, seed=seed))
        return "cohen", out
    sizes = [len(v) for v in multi.values()]
    r = max(set(sizes), key=sizes.count)
    same = [v for v in multi.values() if len(v) == r]
    for rubric in ("overall", *RUBRICS):
        counts = np.array(
            [
                [
                    sum(1 - x.rubric_labels()[rubric] for x in v.values()),
                    sum(x.rubric_labels()[rubric] for x in v.values()),
                ]
                for v in same
            ]
        )
        value = fleiss_kappa(counts)
        rng = np.random.default_rng(seed)
        reps = np.array(
            [fleiss_kappa(counts[rng.integers(0, len(counts), len(counts))]) for _ in range(n_boot)]
        )
        reps = reps[np.isfinite(reps)]
        lo, hi = np.percentile(reps, [2.5, 97.5]) if reps.size else (np.nan, np.nan)
        out[rubric] = Figure.of(Interval(value, float(lo), float(hi), len(counts)))
    return f"fleiss ({r} reviewers per story)", out


def _judge_human(
    rows: dict[int, Row], labels: list[Label], n_boot: int, seed: int
) -> tuple[dict[str, Figure], dict[str, float]]:
    pairs: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for lab in labels:
        human = lab.rubric_labels()
        for check in rows[lab.story_key].item.judge_checks:
            rubric = JUDGE_RUBRIC.get(check.name.split(".", 1)[-1])
            if rubric is None or check.status not in ("pass", "fail"):
                continue
            pairs[rubric][0].append(int(check.status == "pass"))
            pairs[rubric][1].append(human[rubric])
    figs = {k: Figure.of(kappa_ci(j, h, n_boot=n_boot, seed=seed)) for k, (j, h) in pairs.items()}
    raw = {k: round(float(np.mean(np.equal(j, h))), 4) for k, (j, h) in pairs.items()}
    return figs, raw


def _held(row: Row) -> bool:
    """Did the gate hold this story? (its final attempt failed, or it went to a human)"""
    failed = any(c.status == "fail" for c in row.item.checks)
    return failed or row.item.decision == "needs_review"


def _rejected(labs: dict[str, Label]) -> bool:
    """The reviewers' verdict: rejected by at least half of them."""
    return sum(lab.verdict == "reject" for lab in labs.values()) * 2 >= len(labs)


def _gate(
    rows: dict[int, Row], by_item: dict[int, dict[str, Label]]
) -> dict[str, float | int | None]:
    tp = fp = fn = tn = 0
    for k, labs in by_item.items():
        held, bad = _held(rows[k]), _rejected(labs)
        tp += held and bad
        fp += held and not bad
        fn += (not held) and bad
        tn += (not held) and not bad
    return {
        "held_and_rejected": tp,
        "held_but_approved": fp,
        "passed_but_rejected": fn,
        "passed_and_approved": tn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
    }


def _defects(
    rows: dict[int, Row],
    by_item: dict[int, dict[str, Label]],
    rs: ReviewSet,
    n_boot: int,
    seed: int,
) -> dict[str, Figure]:
    values: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for k, labs in by_item.items():
        row = rows[k]
        v, p = values[row.item.run_id]
        v.append(sum(lab.verdict == "reject" for lab in labs.values()) / len(labs))
        p.append(row.inclusion_prob)
    return {
        run: Figure.of(weighted_mean_ci(v, p, n_boot=n_boot, seed=seed))
        for run, (v, p) in sorted(values.items())
    }
