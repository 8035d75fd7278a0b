"""`wrapped.eval.rescore.score_run` on a stored run: the same checks as scoring each story on
its own, and no process-wide state left behind.

Rescoring scores a listener's stories one after another with one shared context, under the
batch worker's collector settings (`wrapped.heap`). Neither may change a single check: the
reference here gives every story a context of its own and runs at CPython's defaults.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from _prompt_helpers import gb_listener, tricky_listener, us_listener

from wrapped.eval.rescore import score_run, score_runs
from wrapped.gate.scorers import score_story, story_context
from wrapped.stats.model import UserYear
from wrapped.store import RunLayout, RunStore, atomic_write_text, write_jsonl_atomic
from wrapped.story import PreviousStory, Story, StoryRequest
from wrapped.writer import compose

NAMES = ["format", "grounding", "safety"]


def _stored_run(root: Path, stored: list[UserYear] | None = None) -> list[tuple[Story, object]]:
    """Three listeners' stories as a batch run stores them; every third story's last sentence
    claims a figure none of their years holds, so some checks fail. `stored`: other years to
    store beside the same stories."""
    layout = RunLayout(root)
    years, stories = [], []
    for uy in (gb_listener(), us_listener(), tricky_listener()):
        years.append(uy)
        for i, day in enumerate(uy.days):
            d = compose(StoryRequest(user_year=uy, day=day.date))
            text = d.story + (" All told, 98,765 minutes that day." if i % 3 == 2 else "")
            stories.append(
                Story(
                    user_id=uy.user_id,
                    day=day.date,
                    category=day.category,
                    title=d.title,
                    story=text,
                    backend="embedded",
                    model="embedded",
                    prompt_version="x",
                    prompt_hash="x",
                    decision="pass",
                )
            )
    # as the batch job stages them (`wrapped.batch.staging`): field and key order kept
    atomic_write_text(
        layout.shard_file("user_years", 0),
        "".join(y.model_dump_json() + "\n" for y in stored or years),
    )
    # stored out of day order: rescore orders each listener's stories by day itself
    write_jsonl_atomic(
        layout.shard_file("stories", 0), (s.model_dump(mode="json") for s in reversed(stories))
    )
    write_jsonl_atomic(layout.shard_file("needs_review", 0), [])
    by_id = {y.user_id: y for y in stored or years}
    return [(s, by_id[s.user_id]) for s in stories]


def _alone(stored: list[tuple[Story, object]]) -> dict[tuple[str, str], list]:
    out = {}
    for story, year in stored:
        previous = [  # the listener's stories of earlier days, as the writer saw them
            PreviousStory(day=s.day, category=s.category, title=s.title, story=s.story)
            for s, _ in sorted(stored, key=lambda p: p[0].day)
            if s.user_id == story.user_id and s.day < story.day
        ]
        ctx = story_context(year, story, previous=previous)  # a fresh listener context
        out[(story.user_id, story.day.isoformat())] = asyncio.run(score_story(story, ctx, NAMES))
    return out


def test_rescore_gives_each_story_the_checks_it_gets_alone(tmp_path: Path) -> None:
    stored = _stored_run(tmp_path)
    expected = _alone(stored)
    assert any(c.status == "fail" for checks in expected.values() for c in checks), (
        "some checks fail"
    )
    got = asyncio.run(score_run(RunStore(tmp_path), NAMES, None, 1, lambda _: None))
    assert got.keys() == expected.keys()
    for key, checks in expected.items():
        assert [c.model_dump() for c in got[key]] == [c.model_dump() for c in checks], key


def test_rescore_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    _stored_run(tmp_path)
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    seen: list[tuple[int, int, int]] = []
    asyncio.run(
        score_run(RunStore(tmp_path), NAMES, None, 1, lambda _: seen.append(gc.get_threshold()))
    )
    assert seen and all(t != threshold for t in seen), "scored under the workers' settings"
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == frozen


def _dumps(scored: dict[tuple[str, str], list]) -> dict[tuple[str, str], list[dict]]:
    return {k: [c.model_dump() for c in checks] for k, checks in scored.items()}


def _other_minutes(uy: UserYear) -> UserYear:
    """`uy` with every interesting day's minutes changed: a year no story was written from."""
    days = [
        d.model_copy(update={"facts": {**d.facts, "minutes": 3 * int(d.facts["minutes"]) + 7}})
        for d in uy.days
    ]
    return uy.model_copy(update={"days": days})


def test_cells_share_a_context_only_for_an_equal_year(tmp_path: Path, monkeypatch) -> None:
    """An eval's cells hold the same listeners: an equal stored year is indexed once for all
    of them, and a year that differs gets a context of its own (its checks, not the other's)."""
    import wrapped.gate.context as context

    same_a, same_b, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    _stored_run(same_a)
    _stored_run(same_b)
    _stored_run(
        other, [_other_minutes(y) for y in (gb_listener(), us_listener(), tricky_listener())]
    )
    alone = [
        _dumps(asyncio.run(score_run(RunStore(p), NAMES, None, 1, lambda _: None)))
        for p in (same_a, same_b, other)
    ]
    assert alone[0] == alone[1]
    assert alone[2] != alone[0], "the changed minutes change some checks"

    built = []
    index_year = context.build_year_index
    monkeypatch.setattr(context, "build_year_index", lambda uy: built.append(uy) or index_year(uy))
    stores = [RunStore(p) for p in (same_a, same_b, other)]
    together = asyncio.run(score_runs(stores, NAMES, None, 1, lambda _: None))
    assert [_dumps(t) for t in together] == alone
    # three listeners: once for the two equal cells, once more for the changed years
    assert len(built) == 6
