"""Synthetic stored runs for the review tool's tests and benchmark: listeners, stories and
verdicts sealed as shard files, so `RunStore` reads them back exactly as it reads a run
`wrapped generate` wrote (fast: no generation, no Ray).

Each record is built once through the store's own models (`UserYear`, `Story`, `Verdict`), and
the rows vary only leaves of those valid templates, written with orjson: 1,000,000 stories take
about a minute, not the ~40 minutes validating each model took. A shard's index and columns are
written by the store's own `write_index` and `write_columns`, as sealing does (`index=False`
leaves both out, like a run sealed by an older release)."""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
from _gate_helpers import user_year_dict

from wrapped.review.sample import flagged
from wrapped.stats.model import UserYear
from wrapped.store import Counts, RunLayout, RunManifest, RunStore
from wrapped.store.columns import write_columns
from wrapped.store.model import PromptRef
from wrapped.store.rows import write_index
from wrapped.story import Attempt, Check, Claim, Story, Verdict

COUNTRIES = ("GB", "US", "DE", "JP", "BR")
TIERS = ("premium", "free")


def make_run(
    root: Path,
    *,
    listeners: int,
    days: int = 5,
    seed: int = 0,
    shard_size: int = 2000,
    held: float = 0.0,
    hostile: tuple[str, ...] = (),
    index: bool = True,
) -> Path:
    """A run folder with `listeners` × `days` stories (a `held` share of them held for a
    human, in needs_review/); the first listener's day logs open with the `hostile` titles.
    Returns its path."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    base = user_year_dict()
    day0 = base["days"][0]
    proto_days = []
    for d in range(days):
        when = date(2024, 2, 1) + timedelta(days=7 * d)
        one = copy.deepcopy(day0)
        one.update(date=when.isoformat(), weekday=when.strftime("%A"))
        proto_days.append(one)
    base["days"] = proto_days
    base = UserYear.model_validate(base).model_dump(mode="json")  # valid, as stored
    story0, verdict0 = _templates(proto_days[0])
    ids = [f"u_{i:016x}" for i in range(listeners)]
    for s, start in enumerate(range(0, listeners, shard_size)):
        years: list[bytes] = []
        stories: list[dict[str, Any]] = []
        verdicts: list[dict[str, Any]] = []
        review: list[dict[str, Any]] = []
        for uid in ids[start : start + shard_size]:
            country, tier = rng.choice(COUNTRIES), rng.choice(TIERS)
            year = {**base, "user_id": uid, "country": country}
            year["cohort"] = {**base["cohort"], "country": country, "tier": tier}
            if hostile and uid == ids[0]:
                year["days"] = copy.deepcopy(base["days"])
                for d in year["days"]:
                    for entry, title in zip(d["log"], hostile, strict=False):
                        entry["title"] = title
            years.append(orjson.dumps(year))
            for d in proto_days:
                is_held = rng.random() < held
                story = _story(story0, uid, d, rng, "needs_review" if is_held else None)
                (review if is_held else stories).append(story)
                verdicts.append(_verdict(verdict0, uid, d, rng, story["decision"]))
        _write(root, "user_years", s, years)
        _write(root, "verdicts", s, [orjson.dumps(v) for v in verdicts])
        if held:
            _write(root, "needs_review", s, [orjson.dumps(r) for r in review])
        if index:
            write_index(root, s, stories, review, verdicts, flagged)
            write_columns(RunLayout(root), s, stories, review, verdicts)
        _write(root, "stories", s, [orjson.dumps(x) for x in stories])
    RunStore(root).write_manifest(_manifest(root.name, listeners, days))
    return root


def _write(root: Path, kind: str, shard: int, rows: list[bytes]) -> None:
    folder = root / kind
    folder.mkdir(exist_ok=True)
    (folder / f"shard-{shard:05d}.jsonl").write_bytes(b"".join(r + b"\n" for r in rows))


def _templates(d: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid stored Story and Verdict, as dicts (rows change only their leaves)."""
    story = Story(
        user_id="u_0",
        day=date.fromisoformat(d["date"]),
        category=d["category"],
        title="Your biggest music day",
        story=f"On {d['weekday']} you played 96 tracks for 417 minutes, mostly The Beatles; "
        "Here Comes the Sun came back 14 times.",
        backend="embedded",
        model="embedded-v1",
        prompt_version="embedded",
        prompt_hash="0" * 16,
        decision="pass",
        fallback=False,
        attempts=1,
    )
    claims = [
        Claim(kind="number", text="417 minutes", grounded=True, fact="day.facts.minutes=417"),
        Claim(
            kind="name", text="The Beatles", grounded=True, fact="day.facts.top_artist=The Beatles"
        ),
        Claim(kind="number", text="14 times", grounded=True, fact="day.facts.top_track_plays=14"),
    ]
    checks = [
        Check(name="grounding", layer="grounding", status="pass", score=1.0, claims=claims),
        Check(name="judge.tone", layer="judge", status="pass", score=0.5, threshold=0.5),
    ]
    verdict = Verdict(
        user_id="u_0",
        day=story.day,
        category=story.category,
        decision="pass",
        attempts=[Attempt(attempt=1, backend="embedded", checks=checks, passed=True)],
    )
    return story.model_dump(mode="json"), verdict.model_dump(mode="json")


def _story(
    t: dict[str, Any], uid: str, d: dict[str, Any], rng: random.Random, decision: str | None
) -> dict[str, Any]:
    attempts = 1 if rng.random() < 0.9 else 2
    decision = decision or ("pass" if rng.random() < 0.95 else "fallback")
    return {
        **t,
        "user_id": uid,
        "day": d["date"],
        "category": d["category"],
        "decision": decision,
        "fallback": decision == "fallback",
        "attempts": attempts,
    }


def _verdict(
    t: dict[str, Any], uid: str, d: dict[str, Any], rng: random.Random, decision: str
) -> dict[str, Any]:
    score = round(rng.random(), 2)
    grounding, judge = t["attempts"][0]["checks"]
    claims = [*grounding["claims"][:2], {**grounding["claims"][2], "grounded": rng.random() < 0.8}]
    checks = [
        {**grounding, "claims": claims},
        {**judge, "score": score, "status": "pass" if score >= 0.5 else "fail"},
    ]
    attempt = {**t["attempts"][0], "checks": checks}
    return {
        **t,
        "user_id": uid,
        "day": d["date"],
        "category": d["category"],
        "decision": decision,
        "attempts": [attempt],
    }


def _manifest(run_id: str, listeners: int, days: int) -> RunManifest:
    return RunManifest(
        schema_version=2,
        run_id=run_id,
        status="complete",
        invocations=1,
        code_version="synthetic",
        prompt=PromptRef(version="embedded", hash="0" * 16),
        backend="embedded",
        model="embedded-v1",
        input_fingerprint="synthetic",
        selection="all",
        shards=1,
        settings={},
        counts=Counts(
            listeners_in=listeners, eligible=listeners, selected=listeners, listeners_done=listeners
        ),
        counts_add_up=True,
    )
