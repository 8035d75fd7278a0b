"""The suite's listeners: ingested once, their years computed once, a stratified seeded sample.

Every cell of the matrix writes for exactly the same listeners (the batch job's `--sample FILE`
selection), so cells pair row by row in `compare`. The sample is stratified by the suite's
cohort keys, `per_stratum` listeners from each stratum, and each listener's inclusion
probability (k / stratum size) is recorded so figures can be weighted back to the population.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from wrapped.analysis.cohorts import cohort_of
from wrapped.errors import InputError
from wrapped.settings import Settings
from wrapped.store import atomic_write_text, read_jsonl, write_jsonl_atomic


class SampledListener(BaseModel):
    """One listener of the sample."""

    model_config = ConfigDict(extra="forbid")

    user_id: str
    stratum: str = Field(description="the stratum's key values joined by '|'")
    cohort: dict[str, str]
    inclusion_prob: float = Field(gt=0, le=1, description="k / stratum size")


class ListenerSet(BaseModel):
    """Where the cells read their listeners from, and who was sampled."""

    model_config = ConfigDict(extra="forbid")

    inputs: Path = Field(description="the ingest output folder every cell reads")
    sample_file: Path = Field(description="the sampled user ids, one a line (--sample FILE)")
    listeners: list[SampledListener]


def prepare_listeners(
    source: Path, out: Path, *, strata: list[str], per_stratum: int, seed: int, settings: Settings
) -> ListenerSet:
    """Ingest `source` (unless it is an ingest folder), compute years, draw the sample.

    Kept under OUT/listeners/: a rerun reuses it, so a resumed eval writes for the same people."""
    from wrapped.ingest import ingest, read_ingested, write_ingest

    folder = out / "listeners"
    sample_jsonl = folder / "sample.jsonl"
    sample_txt = folder / "sample.txt"
    if (Path(source) / "events.parquet").exists():
        inputs = Path(source).resolve()
    else:
        inputs = (folder / "ingest").resolve()
    if sample_jsonl.exists() and sample_txt.exists():
        rows = [SampledListener.model_validate(r) for r in read_jsonl(sample_jsonl)]
        return ListenerSet(inputs=inputs, sample_file=sample_txt.resolve(), listeners=rows)
    if not Path(source).exists():
        raise InputError("no such file or folder", file=str(source))
    if inputs == (folder / "ingest").resolve() and not (inputs / "events.parquet").exists():
        write_ingest(ingest([Path(source)], settings=settings), inputs)
    loaded = read_ingested(inputs)
    from wrapped.stats import iter_user_years

    cohorts: dict[str, dict[str, str]] = {}
    for chunk in iter_user_years(
        loaded.events,
        profiles=loaded.profiles,
        catalog=loaded.catalog,
        settings=settings.model_copy(update={"stats_workers": 1}),
    ):
        for uy in chunk:
            if uy.eligible:
                cohorts[uy.user_id] = cohort_of(uy)
    if not cohorts:
        raise InputError("no eligible listener in the suite's listeners", file=str(source))
    rows = stratified_sample(cohorts, strata=strata, per_stratum=per_stratum, seed=seed)
    write_jsonl_atomic(sample_jsonl, (r.model_dump() for r in rows))
    atomic_write_text(sample_txt, "".join(f"{r.user_id}\n" for r in rows))
    return ListenerSet(inputs=inputs, sample_file=sample_txt.resolve(), listeners=rows)


def stratified_sample(
    cohorts: dict[str, dict[str, str]], *, strata: list[str], per_stratum: int, seed: int
) -> list[SampledListener]:
    """`per_stratum` listeners from each stratum (all of a smaller one), seeded per stratum so
    adding a listener elsewhere does not reshuffle this one; sorted by user id."""
    groups: dict[str, list[str]] = defaultdict(list)
    for uid, cohort in cohorts.items():
        groups["|".join(cohort.get(k, "unknown") for k in strata)].append(uid)
    out: list[SampledListener] = []
    for stratum, members in sorted(groups.items()):
        members.sort()
        k = min(per_stratum, len(members))
        chosen = random.Random(f"{seed}:{stratum}").sample(members, k)
        prob = k / len(members)
        out += [
            SampledListener(
                user_id=u, stratum=stratum, cohort=cohorts[u], inclusion_prob=prob
            )
            for u in chosen
        ]
    return sorted(out, key=lambda r: r.user_id)
