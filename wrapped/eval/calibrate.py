"""`wrapped eval calibrate`: does the judge agree with people?

LABELS is JSONL, one human label a line: `{"story_id": "<user_id>/<day>", "rubric": str,
"label": 0|1}` (1 = good on that rubric) — the review tool's export, whose extra fields
(reviewer, run, cell, reasons, note) are ignored. Per rubric, the judge's score on the same
story (the `judge.<rubric>` check, or a deterministic check of that name) is turned into a
verdict at a threshold; we report Cohen's kappa with a bootstrap interval at the judge's own
threshold, the confusion matrix, and the threshold that maximises kappa.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from wrapped.analysis.intervals import Interval, cohen_kappa, kappa_ci
from wrapped.errors import InputError
from wrapped.eval.model import EvalRow


class Label(BaseModel):
    """One human label (unknown fields of the review tool's export are ignored)."""

    model_config = ConfigDict(extra="ignore")

    story_id: str
    rubric: str
    label: Literal[0, 1]


class Calibration(NamedTuple):
    rubric: str
    check: str
    n: int
    threshold: float
    kappa: Interval
    confusion: tuple[int, int, int, int]  # (judge good & human good, judge good & human bad, ...)
    best_threshold: float
    best_kappa: float
    agreement: float


def read_labels(path: Path) -> list[Label]:
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("labels file not found", file=str(path)) from None
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(Label.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            why = str(exc).splitlines()[0]
            raise InputError(f"not a label ({why})", file=str(path), record=i) from None
    return out


def _score(row: EvalRow, rubric: str) -> tuple[str, float | None]:
    """(check name, score) of `rubric` on the row: judge.<rubric> first, then a check of that
    name (a deterministic check scores 1 for pass, 0 for fail)."""
    for name in (f"judge.{rubric}", rubric):
        for c in row.checks:
            if c.name == name and c.status in ("pass", "fail"):
                score = c.score if c.score is not None else (1.0 if c.status == "pass" else 0.0)
                return name, score
    return f"judge.{rubric}", None


def calibrate(
    rows: list[EvalRow], labels: list[Label], *, threshold: float = 0.5, n_boot: int = 1000
) -> list[Calibration]:
    """Per rubric, with the judge's verdict = score >= `threshold` (the gate's judge_threshold),, over the labelled stories the rows hold (one row per story: the first)."""
    by_story: dict[str, EvalRow] = {}
    for r in rows:
        by_story.setdefault(r.story_id, r)
    pairs: dict[str, list[tuple[float, int]]] = defaultdict(list)
    names: dict[str, str] = {}
    for lab in labels:
        row = by_story.get(lab.story_id)
        if row is None:
            continue
        name, score = _score(row, lab.rubric)
        names[lab.rubric] = name
        if score is not None:
            pairs[lab.rubric].append((score, lab.label))
    out = []
    for rubric, got in sorted(pairs.items()):
        scores = np.array([s for s, _ in got])
        human = np.array([h for _, h in got])
        judge = (scores >= threshold).astype(int)
        kappa = kappa_ci(judge.tolist(), human.tolist(), n_boot=n_boot)
        best_t, best_k = threshold, _kappa(judge, human)
        for t in sorted(set(scores.tolist()) | {threshold}):
            k = _kappa((scores >= t).astype(int), human)
            if k > best_k + 1e-12:
                best_t, best_k = t, k
        tp = int(((judge == 1) & (human == 1)).sum())
        fp = int(((judge == 1) & (human == 0)).sum())
        fn = int(((judge == 0) & (human == 1)).sum())
        tn = int(((judge == 0) & (human == 0)).sum())
        out.append(
            Calibration(
                rubric=rubric,
                check=names[rubric],
                n=len(got),
                threshold=threshold,
                kappa=kappa,
                confusion=(tp, fp, fn, tn),
                best_threshold=best_t,
                best_kappa=best_k,
                agreement=float((judge == human).mean()),
            )
        )
    return out


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    k = cohen_kappa(a.tolist(), b.tolist())
    return float(k) if np.isfinite(k) else float("-inf")
