"""`wrapped review sample`: a seeded, stratified sample of stored stories, with each story's
inclusion probability, so a defect rate measured on the sample weights back to the whole run.

Two passes over the runs, both through `RunStore`: the first keeps a small tuple per story
(stratum, risk); the second copies the evidence of the drawn stories only. Within a stratum,
stories are drawn by systematic sampling with probability proportional to a weight (1 for all,
or 1 + risk with `--adversarial`) over a seeded shuffle, which draws exactly n_h stories and gives
each story a known inclusion probability π_i = n_h·w_i / W_h (capped at 1).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from wrapped.analysis.cohorts import cohort_of
from wrapped.errors import ConfigError
from wrapped.review.db import ReviewSet, Sampled, register
from wrapped.review.model import Quoted, ReviewItem
from wrapped.safety.screen import is_unsafe
from wrapped.stats.model import InterestingDay, UserYear
from wrapped.stats.roles import role_of
from wrapped.store import RunStore
from wrapped.story import Check, PreviousStory, Story, Verdict

PRIVATE_FACTS = role_of(InterestingDay, "facts").private_keys  # type: ignore[union-attr]
"""Day facts never copied into a review set (the keys the stats model marks personal data)."""
STRATA_KEYS = ("country", "tier", "decision", "judge_band")
INCLUDE = ("needs_review",)


class Unit(NamedTuple):
    run: int
    user_id: str
    day: date
    stratum: str
    weight: float


def judge_band(checks: list[Check]) -> str:
    """none | low | mid | high: the mean judge score of the final attempt."""
    scores = [c.score for c in checks if c.layer == "judge" and c.score is not None]
    if not scores:
        return "none"
    mean = sum(scores) / len(scores)
    return "low" if mean < 0.5 else "mid" if mean < 0.8 else "high"


def risks(story: Story, verdict: Verdict | None, year: UserYear | None) -> list[str]:
    """Why a story is likely to be wrong (what `--adversarial` over-samples)."""
    checks = verdict.attempts[-1].checks if verdict and verdict.attempts else []
    found = _verdict_risks(checks) + _story_risks(story)
    return found + (_year_risks(year, story.day) if year is not None else [])


def _verdict_risks(checks: list[Check]) -> list[str]:
    margins = [
        abs(c.score - c.threshold)
        for c in checks
        if c.layer == "judge" and c.score is not None and c.threshold is not None
    ]
    return ["low judge margin"] if margins and min(margins) < 0.1 else []


def _story_risks(story: Story) -> list[str]:
    out = []
    if story.attempts > 1:
        out.append("regenerated")
    if story.fallback or story.decision == "fallback":
        out.append("fallback")
    if story.decision == "needs_review":
        out.append("needs review")
    return out


def _year_risks(year: UserYear, day: date) -> list[str]:
    out = []
    names = _year_names(year, day)
    if any(_flagged(n) for n in names):
        out.append("flagged titles")
    if any(_non_latin(n) for n in names):
        out.append("non-Latin names")
    if year.minutes_are_estimates:
        out.append("estimated minutes")
    return out


def draw(
    runs: list[Path],
    *,
    n: int,
    out: Path,
    strata: tuple[str, ...] = STRATA_KEYS,
    include: tuple[str, ...] = (),
    adversarial: bool = False,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> ReviewSet:
    """Sample `n` stories from `runs` into a new review set at `out`."""
    bad = [k for k in strata if k not in STRATA_KEYS]
    if bad:
        raise ConfigError(f"unknown stratum {bad[0]!r} (known: {', '.join(STRATA_KEYS)})")
    if n < 1:
        raise ConfigError("--n must be at least 1")
    stores = [RunStore.open(p) for p in runs]
    run_ids = [s.manifest().run_id for s in stores]
    if len(set(run_ids)) != len(run_ids):
        raise ConfigError("the same run was given twice")
    units: list[Unit] = []
    for r, store in enumerate(stores):
        units.extend(_units(r, store, strata, include, adversarial, progress))
    if not units:
        raise ConfigError("no stored stories in " + ", ".join(map(str, runs)))
    chosen, probs, pop = _choose(units, n, np.random.default_rng(seed))
    sampled = _evidence(stores, run_ids, [units[i] for i in chosen], probs, include, adversarial)
    per_run: dict[int, int] = defaultdict(int)
    for u in units:
        per_run[u.run] += 1
    rs = ReviewSet.create(
        out,
        sampled,
        runs=[(run_ids[r], str(stores[r].root.resolve()), c) for r, c in sorted(per_run.items())],
        strata={k: (run_ids[units[i0].run], N, m) for k, (N, m, i0) in pop.items()},
        meta={
            "n": n,
            "seed": seed,
            "strata": list(strata),
            "include": list(include),
            "adversarial": adversarial,
        },
    )
    for store in stores:
        register(store.root, rs.folder)
    return rs


def _stories(store: RunStore, include: tuple[str, ...]) -> Iterable[Story]:
    yield from store.stories()
    if "needs_review" in include:
        yield from store.needs_review()


def _units(
    r: int,
    store: RunStore,
    strata: tuple[str, ...],
    include: tuple[str, ...],
    adversarial: bool,
    progress: Callable[[int], None] | None,
) -> list[Unit]:
    """Pass one: a small tuple per story. Only strings and flags are kept from each record
    (holding a run's verdicts and years as objects made this pass slow down as it grew)."""
    year_keys = [k for k in strata if k not in ("decision", "judge_band")]
    cohorts: dict[str, str] = {}
    year_risk: dict[tuple[str, date], int] = {}
    if year_keys or adversarial:
        for y in store.user_years():
            c = cohort_of(y)
            cohorts[y.user_id] = "|".join(f"{k}={c.get(k, 'unknown')}" for k in year_keys)
            if adversarial:
                for d in y.days:
                    year_risk[(y.user_id, d.date)] = len(_year_risks(y, d.date))
    verdict_info: dict[tuple[str, date], tuple[str, int]] = {}
    for v in store.verdicts():
        checks = v.attempts[-1].checks if v.attempts else []
        risk = len(_verdict_risks(checks)) if adversarial else 0
        verdict_info[(v.user_id, v.day)] = (judge_band(checks), risk)
    out = []
    for s in _stories(store, include):
        key = (s.user_id, s.day)
        band, v_risk = verdict_info.get(key, ("none", 0))
        parts = [f"run={r}"]
        if year_keys:
            parts.append(cohorts.get(s.user_id) or "|".join(f"{k}=unknown" for k in year_keys))
        if "decision" in strata:
            parts.append(f"decision={s.decision}")
        if "judge_band" in strata:
            parts.append(f"judge_band={band}")
        weight = 1.0
        if adversarial:
            weight += v_risk + len(_story_risks(s)) + year_risk.get(key, 0)
        out.append(Unit(r, s.user_id, s.day, "|".join(parts), weight))
        if progress and len(out) % 10_000 == 0:
            progress(10_000)
    if progress:
        progress(len(out) % 10_000)
    return out


def _choose(
    units: list[Unit], n: int, rng: np.random.Generator
) -> tuple[list[int], list[float], dict[str, tuple[int, int, int]]]:
    """Indices drawn, their inclusion probabilities, and per stratum (N, n_h, a member)."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        members[u.stratum].append(i)
    keys = sorted(members)
    weights = {k: np.array([units[i].weight for i in members[k]]) for k in keys}
    alloc = _allocate(
        {k: float(weights[k].sum()) for k in keys}, {k: len(members[k]) for k in keys}, n
    )
    chosen: list[int] = []
    probs: list[float] = []
    for k in keys:
        idx = np.array(members[k])
        m = alloc[k]
        if m == 0:
            continue
        order = rng.permutation(idx.size)
        pi = _inclusion(weights[k][order], m)
        picks = _systematic(pi, rng)
        chosen.extend(idx[order][picks].tolist())
        probs.extend(pi[picks].tolist())
    pop = {k: (len(members[k]), alloc[k], members[k][0]) for k in keys}
    return chosen, probs, pop


def _allocate(size: dict[str, float], cap: dict[str, int], n: int) -> dict[str, int]:
    """n split across strata in proportion to `size` (largest remainder), at least one each
    when n allows, never more than a stratum holds."""
    total = min(n, sum(cap.values()))
    keys = sorted(size, key=lambda k: -size[k])
    alloc = {k: 0 for k in keys}
    if total >= len(keys):
        alloc = {k: 1 for k in keys}
    while sum(alloc.values()) < total:
        left = total - sum(alloc.values())
        open_ = [k for k in keys if alloc[k] < cap[k]]
        mass = sum(size[k] for k in open_)
        share = {k: left * size[k] / mass for k in open_}
        step = {k: min(cap[k] - alloc[k], int(share[k])) for k in open_}
        if not any(step.values()):  # hand out the remainders, largest first
            for k in sorted(open_, key=lambda k: -(share[k] - int(share[k]))):
                if sum(alloc.values()) < total and alloc[k] < cap[k]:
                    alloc[k] += 1
            continue
        for k in open_:
            alloc[k] += step[k]
    return alloc


def _inclusion(w: np.ndarray, m: int) -> np.ndarray:
    """π_i = m·w_i/W, with units whose π would pass 1 taken with certainty (iteratively)."""
    pi = np.zeros(w.size)
    certain = np.zeros(w.size, dtype=bool)
    while True:
        rest = ~certain
        left = m - certain.sum()
        pi[rest] = left * w[rest] / w[rest].sum()
        over = rest & (pi >= 1)
        if not over.any():
            break
        certain |= over
    pi[certain] = 1.0
    return pi


def _systematic(pi: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Systematic PPS: a random start, steps of 1 along the cumulated π (exactly Σπ draws)."""
    cum = np.cumsum(pi)
    points = rng.random() + np.arange(int(round(cum[-1])))
    picks = np.searchsorted(cum, points, side="right")
    return np.unique(np.minimum(picks, pi.size - 1))


def _evidence(
    stores: list[RunStore],
    run_ids: list[str],
    drawn: list[Unit],
    probs: list[float],
    include: tuple[str, ...],
    adversarial: bool,
) -> list[Sampled]:
    """The second pass: everything the page shows, for the drawn stories only."""
    out: list[Sampled] = []
    for r, store in enumerate(stores):
        mine = {(u.user_id, u.day): (u, p) for u, p in zip(drawn, probs, strict=True) if u.run == r}
        if not mine:
            continue
        users = {k[0] for k in mine}
        years = {y.user_id: y for y in store.user_years() if y.user_id in users}
        verdicts = {(v.user_id, v.day): v for v in store.verdicts() if v.user_id in users}
        by_user: dict[str, list[Story]] = defaultdict(list)
        for s in _stories(store, ("needs_review",)):
            if s.user_id in users:
                by_user[s.user_id].append(s)
        for uid, stories in by_user.items():
            stories.sort(key=lambda s: s.day)
            for s in stories:
                if (uid, s.day) not in mine:
                    continue
                u, p = mine[(uid, s.day)]
                v = verdicts.get((uid, s.day))
                item = _item(
                    run_ids[r], s, v, years.get(uid), [x for x in stories if x.day < s.day]
                )
                out.append(Sampled(item, u.stratum, p, float(u.weight - 1)))
    out.sort(key=lambda x: (x.stratum, x.item.story_id))
    order = np.random.default_rng(len(out)).permutation(len(out))
    return [out[i] for i in order]  # interleave strata in the queue


def _item(
    run_id: str, s: Story, v: Verdict | None, year: UserYear | None, before: list[Story]
) -> ReviewItem:
    checks = v.attempts[-1].checks if v and v.attempts else []
    quoted = []
    for c in (c for ch in checks for c in ch.claims):
        if c.fact and "=" in c.fact:
            path, value = c.fact.split("=", 1)
            q = Quoted(path=path, value=value)
            if q not in quoted:
                quoted.append(q)
    day = None
    if year is not None:
        try:
            day = year.day(s.day)
        except KeyError:
            day = None
    if day is not None:  # a birthday's age is personal data: the reviewer does not need it
        facts = {k: v for k, v in day.facts.items() if k not in PRIVATE_FACTS}
        day = day.model_copy(update={"facts": facts})
    return ReviewItem(
        story_id=f"{s.user_id}/{s.day.isoformat()}",
        run_id=run_id,
        user_id=s.user_id,
        day=s.day,
        category=s.category,
        title=s.title,
        story=s.story,
        backend=s.backend,
        model=s.model,
        decision=s.decision,
        fallback=s.fallback,
        attempts=s.attempts,
        checks=checks,
        verdict_reasons=v.reasons if v else [],
        evidence_day=day,
        quoted=quoted,
        year_summary=_summary(year) if year else {},
        previous=[
            PreviousStory(day=b.day, category=b.category, title=b.title, story=b.story)
            for b in before
        ],
        cohort=cohort_of(year) if year else {},
        risks=risks(s, v, year),
    )


def _summary(y: UserYear) -> dict[str, Any]:
    return {
        "year": y.window.year,
        "locale": y.locale,
        "timezone": y.timezone,
        "minutes": y.totals.all.minutes,
        "plays": y.totals.all.plays,
        "minutes estimated": y.minutes_are_estimates,
        "top artists": [f"{r.rank}. {r.name}" for r in y.top_artists[:5]],
        "top tracks": [f"{r.rank}. {r.name} ({r.by})" for r in y.top_tracks[:5]],
    }


def _year_names(y: UserYear, day: date) -> list[str]:
    names = [r.name for r in y.top_artists[:10]] + [r.name for r in y.top_tracks[:10]]
    for d in y.days:
        if d.date == day:
            names += [e.title for e in d.log] + [e.by for e in d.log if e.by]
    return names


@lru_cache(maxsize=65536)
def _flagged(name: str) -> bool:
    return is_unsafe(name) is not None


@lru_cache(maxsize=65536)
def _non_latin(name: str) -> bool:
    return any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in name)
