"""Synthetic stored runs for the review tool's tests and benchmark: listeners, stories and
verdicts built through the store's own models and written as sealed shards, so `RunStore` reads
them back exactly as it reads a run `wrapped generate` wrote (fast: no generation, no Ray)."""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta
from pathlib import Path

from _gate_helpers import user_year_dict

from wrapped.stats.model import UserYear
from wrapped.store import Counts, RunManifest, RunStore
from wrapped.store.model import PromptRef
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
) -> Path:
    """A run folder with `listeners` × `days` stories (a `held` share of them held for a
    human, in needs_review/); returns its path."""
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
    UserYear.model_validate(base)  # the template is valid once; rows below only vary leaves
    ids = [f"u_{i:016x}" for i in range(listeners)]
    for s, start in enumerate(range(0, listeners, shard_size)):
        years, stories, verdicts, review = [], [], [], []
        for uid in ids[start : start + shard_size]:
            country, tier = rng.choice(COUNTRIES), rng.choice(TIERS)
            base["user_id"], base["country"] = uid, country
            base["cohort"]["country"], base["cohort"]["tier"] = country, tier
            years.append(json.dumps(base))
            for d in proto_days:
                is_held = rng.random() < held
                story = _story(uid, d, rng, "needs_review" if is_held else None)
                (review if is_held else stories).append(story)
                verdicts.append(_verdict(uid, d, rng, story))
        kinds = [("user_years", years), ("verdicts", verdicts), ("stories", stories)]
        for kind, rows in kinds + ([("needs_review", review)] if held else []):
            folder = root / kind
            folder.mkdir(exist_ok=True)
            (folder / f"shard-{s:05d}.jsonl").write_text("\n".join(rows) + "\n", "utf-8")
    RunStore(root).write_manifest(_manifest(root.name, listeners, days))
    return root


def _story(uid: str, d: dict, rng: random.Random, decision: str | None = None) -> str:
    attempts = 1 if rng.random() < 0.9 else 2
    decision = decision or ("pass" if rng.random() < 0.95 else "fallback")
    return Story(
        user_id=uid,
        day=date.fromisoformat(d["date"]),
        category=d["category"],
        title="Your biggest music day",
        story=f"On {d['weekday']} you played 96 tracks for 417 minutes, mostly The Beatles; "
        "Here Comes the Sun came back 14 times.",
        backend="embedded",
        model="embedded-v1",
        prompt_version="embedded",
        prompt_hash="0" * 16,
        decision=decision,
        fallback=decision == "fallback",
        attempts=attempts,
    ).model_dump_json()


def _verdict(uid: str, d: dict, rng: random.Random, story_json: str) -> str:
    score = round(rng.random(), 2)
    claims = [
        Claim(kind="number", text="417 minutes", grounded=True, fact="day.facts.minutes=417"),
        Claim(
            kind="name", text="The Beatles", grounded=True, fact="day.facts.top_artist=The Beatles"
        ),
        Claim(
            kind="number",
            text="14 times",
            grounded=rng.random() < 0.8,
            fact="day.facts.top_track_plays=14",
            why=None,
        ),
    ]
    checks = [
        Check(name="grounding", layer="grounding", status="pass", score=1.0, claims=claims),
        Check(
            name="judge.tone",
            layer="judge",
            status="pass" if score >= 0.5 else "fail",
            score=score,
            threshold=0.5,
        ),
    ]
    return Verdict(
        user_id=uid,
        day=date.fromisoformat(d["date"]),
        category=d["category"],
        decision=json.loads(story_json)["decision"],
        attempts=[Attempt(attempt=1, backend="embedded", checks=checks, passed=True)],
    ).model_dump_json()


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
