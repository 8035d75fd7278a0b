"""Rows out of a batch run, through `RunStore`, and the results files they are written to.

A cell's rows are read from its run folder (stories, held-for-review stories, verdicts,
failures and the listeners' stored years) — never from a second generation path. Results are
`rows.jsonl` (every field, nested) and `rows.parquet` (flat: `m.<metric>`, `c.<cohort key>`,
checks as JSON), both written atomically.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from wrapped.analysis.cohorts import cohort_of
from wrapped.errors import InputError
from wrapped.eval.metrics import add_sameness, row_metrics
from wrapped.eval.model import EvalRow, RowCheck
from wrapped.stats.model import UserYear
from wrapped.store import RunStore, read_jsonl, write_jsonl_atomic
from wrapped.story import Check, Story, Verdict

#: (stored story, its listener's year) -> new checks, for rescoring
Rescorer = Callable[[Story, UserYear], list[Check]]


def run_rows(
    store: RunStore,
    labels: dict[str, str],
    *,
    inclusion: dict[str, float] | None = None,
    rescore: Rescorer | None = None,
    categories: Sequence[str] = (),
) -> list[EvalRow]:
    """Every story of one run as rows (failed stories too, without text); `rescore` replaces the
    stored checks with new ones computed on the stored text."""
    years = {uy.user_id: uy for uy in store.user_years()}
    verdicts: dict[tuple[str, str], Verdict] = {
        (v.user_id, v.day.isoformat()): v for v in store.verdicts()
    }
    stories: dict[tuple[str, str], Story] = {}
    for s in [*store.stories(), *store.needs_review()]:
        stories[(s.user_id, s.day.isoformat())] = s
    rows: list[EvalRow] = []
    for key, verdict in sorted(verdicts.items()):
        if categories and verdict.category not in categories:
            continue
        uid, day = key
        story = stories.get(key)
        year = years.get(uid)
        if story is not None and rescore is not None and year is not None:
            checks = rescore(story, year)
        else:
            checks = verdict.attempts[-1].checks if verdict.attempts else []
        usage = story.usage if story is not None else None
        title = story.title if story else ""
        text = story.story if story else ""
        decision = story.decision if story else verdict.decision
        rows.append(
            EvalRow(
                **labels,
                user_id=uid,
                day=day,
                story_id=f"{uid}/{day}",
                category=verdict.category,
                title=title,
                story=text,
                decision=decision,
                attempts=len(verdict.attempts),
                checks=[_row_check(c) for c in checks],
                metrics=row_metrics(
                    checks,
                    title=title,
                    story=text,
                    decision=decision,
                    prompt_tokens=usage.prompt_tokens if usage else 0,
                    completion_tokens=usage.completion_tokens if usage else 0,
                    cost_usd=usage.cost_usd if usage else 0.0,
                    latency_s=usage.latency_s if usage else 0.0,
                ),
                prompt_tokens=usage.prompt_tokens if usage else 0,
                completion_tokens=usage.completion_tokens if usage else 0,
                cost_usd=usage.cost_usd if usage else 0.0,
                latency_s=round(usage.latency_s, 4) if usage else 0.0,
                cohort=cohort_of(year) if year is not None else {},
                inclusion_prob=(inclusion or {}).get(uid, 1.0),
            )
        )
    add_sameness([r.metrics for r in rows], [r.title for r in rows], [r.story for r in rows])
    return rows


def _row_check(c: Check) -> RowCheck:
    return RowCheck(
        name=c.name,
        layer=c.layer,
        status=c.status,
        score=c.score,
        reasons=c.reasons,
        contradicted=[
            f"{cl.text} ({cl.why or 'not in the data'})" for cl in c.claims if not cl.grounded
        ],
    )


def write_rows(folder: Path, rows: Iterable[EvalRow]) -> int:
    """rows.jsonl and rows.parquet, each replaced atomically; returns the row count."""
    rows = list(rows)
    write_jsonl_atomic(folder / "rows.jsonl", (r.model_dump(mode="json") for r in rows))
    frame = to_frame(rows)
    tmp = folder / ".rows.parquet.tmp"
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, folder / "rows.parquet")
    return len(rows)


def to_frame(rows: Sequence[EvalRow]) -> pd.DataFrame:
    """The flat table compare and the report read: one column per metric and cohort key."""
    records = []
    for r in rows:
        d = r.model_dump(exclude={"checks", "metrics", "cohort"})
        d.update({f"m.{k}": v for k, v in r.metrics.items()})
        d.update({f"c.{k}": v for k, v in r.cohort.items()})
        d["checks_json"] = json.dumps([c.model_dump() for c in r.checks])
        records.append(d)
    return pd.DataFrame.from_records(records)


def read_rows(folder: Path) -> list[EvalRow]:
    path = Path(folder) / "rows.jsonl"
    if not path.exists():
        raise InputError("no rows.jsonl (has `wrapped eval run` finished?)", file=str(folder))
    return [EvalRow.model_validate(r) for r in read_jsonl(path)]


def read_frame(folder: Path) -> pd.DataFrame:
    path = Path(folder) / "rows.parquet"
    if not path.exists():
        raise InputError("no rows.parquet (has `wrapped eval run` finished?)", file=str(folder))
    return pd.read_parquet(path)
