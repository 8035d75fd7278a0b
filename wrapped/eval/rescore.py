"""`wrapped eval rescore`: score stored stories again — no writer call, ever.

For a new judge, a new rubric or a fixed scorer: the stories of an eval's cells (or of any
production run) are read back through `RunStore` and handed to the gate's own scorers
(`wrapped.gate.scorers.score_story`), with the listener's stored year as the context. Only
judge scorers make calls, and only to the judge's endpoint.
"""

from __future__ import annotations

import asyncio
import gc
from collections import defaultdict
from collections.abc import Callable, Coroutine, Iterator, Sequence
from functools import partial
from pathlib import Path

import wrapped
from wrapped.errors import ConfigError, InputError
from wrapped.eval.model import CellInfo, EvalManifest, EvalRow, read_manifest
from wrapped.eval.rows import run_rows, write_rows
from wrapped.gate.context import ListenerContext
from wrapped.gate.judge import Judge
from wrapped.gate.scorers import JUDGE_NAMES, SCORERS, score_story, story_context
from wrapped.heap import scoring_heap
from wrapped.settings import Settings
from wrapped.stats.model import UserYear
from wrapped.store import RunStore, atomic_write_text
from wrapped.story import Check, PreviousStory, Story


def sources(path: Path) -> tuple[list[tuple[CellInfo, RunStore]], dict[str, object], str]:
    """The runs behind RESULTS (each cell's) or a RUN folder itself, with the suite (empty
    for a run) and what it is, for the manifest."""
    path = Path(path)
    if (path / "rows.jsonl").exists() or (path / "manifest.json").exists() and _is_eval(path):
        m = read_manifest(path)
        out = []
        for cell in m.cells:
            if cell.run_dir is None:
                raise InputError(
                    f"cell {cell.name} has no run yet (finish `eval run`)", file=str(path)
                )
            run_dir = Path(cell.run_dir)
            out.append((cell, RunStore.open(run_dir if run_dir.is_absolute() else path / run_dir)))
        return out, m.suite, "results"
    store = RunStore.open(path)
    rm = store.manifest()
    cell = CellInfo(
        name=rm.run_id,
        prompt=rm.prompt.version,
        model_alias=rm.model,
        model=rm.model,
        judge=rm.judge.describe() if rm.judge else "unknown",
        run_id=rm.run_id,
        run_dir=str(path.resolve()),
        status="complete" if rm.status == "complete" else "incomplete",
    )
    return [(cell, store)], {}, "run"


def _is_eval(path: Path) -> bool:
    try:
        read_manifest(path)
    except (InputError, ValueError):
        return False
    return True


def check_scorers(names: Sequence[str], judge: Judge | None) -> list[str]:
    """The scorer names, each known; a judge name needs a judge."""
    out = []
    for n in names:
        if n in JUDGE_NAMES:
            if judge is None:
                raise ConfigError(f"scorer {n!r} needs --judge-model (and --judge-base-url)")
        elif n not in SCORERS:
            known = ", ".join([*SCORERS, *JUDGE_NAMES])
            raise ConfigError(f"unknown scorer {n!r} (known: {known})")
        out.append(n)
    if judge is not None and not any(n in JUDGE_NAMES for n in out):
        out.append(judge.suite)
    return out


async def score_run(
    store: RunStore,
    names: Sequence[str],
    judge: Judge | None,
    concurrency: int,
    advance: Callable[[int], None],
) -> dict[tuple[str, str], list[Check]]:
    """Every stored story of one run, scored again: {(user id, day): checks}."""
    return (await score_runs([store], names, judge, concurrency, advance))[0]


async def score_runs(
    stores: Sequence[RunStore],
    names: Sequence[str],
    judge: Judge | None,
    concurrency: int,
    advance: Callable[[int], None],
) -> list[dict[tuple[str, str], list[Check]]]:
    """`score_run` of each store, in order. The cells of one eval were written from the same
    listeners: a listener whose stored year is the same in several stores gets one context
    (screened names, fact index) for all of them, built once instead of once per cell. The
    stores are all loaded first (a listener's stories of every cell side by side): memory for
    every cell's stories at once, where one cell at a time held one."""
    loaded: list[_Loaded] = []
    try:
        for store in stores:
            years, by_user = _load_frozen(store)
            _refuse_missing(store.root, years, by_user)
            loaded.append((years, by_user))
        return await _score(loaded, names, judge, concurrency, advance)
    finally:
        gc.unfreeze()


def _refuse_missing(
    root: Path, years: dict[str, UserYear], by_user: dict[str, list[Story]]
) -> None:
    missing = sorted(uid for uid in by_user if uid not in years)
    if missing:
        # its rows would keep the stored checks beside rescored ones: refuse, do not mix
        raise InputError(
            f"{len(missing)} listener(s) have stored stories but no stored year "
            f"(first: {missing[0]}); rescoring needs the year each story was written from",
            file=str(root),
        )


_Loaded = tuple[dict[str, UserYear], dict[str, list[Story]]]


async def _score(
    loaded: list[_Loaded],
    names: Sequence[str],
    judge: Judge | None,
    concurrency: int,
    advance: Callable[[int], None],
) -> list[dict[tuple[str, str], list[Check]]]:
    gate = asyncio.Semaphore(concurrency)
    outs: list[dict[tuple[str, str], list[Check]]] = [{} for _ in loaded]

    async def one(
        out: dict[tuple[str, str], list[Check]],
        story: Story,
        previous: list[PreviousStory],
        listener: ListenerContext,
    ) -> None:
        ctx = story_context(listener.user_year, story, previous=previous, listener=listener)
        async with gate:
            out[(story.user_id, story.day.isoformat())] = await score_story(
                story, ctx, names, judge=judge
            )
        advance(1)

    def jobs_of(uid: str) -> Iterator[Coroutine[None, None, None]]:
        """The listener's stories in every store, each store's by day; one context per
        distinct stored year (the checks read the context's year: an equal one)."""
        contexts: list[ListenerContext] = []
        for (years, by_user), out in zip(loaded, outs, strict=True):
            stories = by_user.get(uid)
            if not stories:
                continue
            year = years[uid]
            listener = next((c for c in contexts if c.user_year == year), None)
            if listener is None:
                listener = ListenerContext(year)
                contexts.append(listener)
            stories.sort(key=lambda s: s.day)
            prev: list[PreviousStory] = []
            for s in stories:
                yield one(out, s, list(prev), listener)
                prev.append(
                    PreviousStory(day=s.day, category=s.category, title=s.title, story=s.story)
                )

    users = list(dict.fromkeys(uid for _, by_user in loaded for uid in by_user))
    if judge is not None:  # judge calls wait on the network: interleave them
        await asyncio.gather(*(job for uid in users for job in jobs_of(uid)))
        return outs
    # Deterministic scorers only: no I/O, so one listener after another, its contexts (fact
    # index, screened names) garbage once its stories are scored, and the collector's passes
    # spaced out as in a batch worker (`wrapped.heap`): at CPython's defaults, full passes
    # over the growing results took 9.6% of rescoring 10,000 stories, spaced out 1.4%.
    with scoring_heap():
        for uid in users:
            for job in jobs_of(uid):
                await job
    return outs


def _load_frozen(store: RunStore) -> tuple[dict[str, UserYear], dict[str, list[Story]]]:
    """Load a stored run without the cycle collector, then freeze what was loaded.

    A run's years and stories are a large heap that nothing frees while it is rescored; every
    full collection walked all of it again (a third of the CPU of rescoring 2,000 stories went
    to the collector). Parsed models make no reference cycles, so the collector has nothing to
    find during the load; frozen afterwards, later collections see only the scorers' own
    objects. The caller unfreezes when done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        years = {uy.user_id: uy for uy in store.user_years()}
        by_user: dict[str, list[Story]] = defaultdict(list)
        for s in [*store.stories(), *store.needs_review()]:
            by_user[s.user_id].append(s)
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()  # only after a load that succeeded
    return years, by_user


def rescore(
    source: Path,
    out: Path,
    *,
    names: Sequence[str],
    judge_settings: Settings | None,
    concurrency: int = 8,
    advance: Callable[[int], None] = lambda _: None,
) -> EvalManifest:
    """Score every stored story of SOURCE again into the results folder OUT."""
    found, suite, kind = sources(source)
    judge = Judge(judge_settings) if judge_settings is not None else None
    names = check_scorers(names, judge)
    rows: list[EvalRow] = []
    cells = []
    inclusion = _inclusion(Path(source)) if kind == "results" else {}
    scored = asyncio.run(score_runs([st for _, st in found], names, judge, concurrency, advance))
    for (cell, store), checks in zip(found, scored, strict=True):
        labels = {
            "cell": cell.name,
            "prompt": cell.prompt,
            "model_alias": cell.model_alias,
            "model": cell.model,
            "judge": judge.model_name if judge else "none",
            "run_id": cell.run_id or store.root.name,
        }
        cell_rows = run_rows(
            store,
            labels,
            inclusion=inclusion,
            rescore=partial(_rescored, checks),
        )
        rows += cell_rows
        cells.append(
            cell.model_copy(update={"run_dir": str(store.root.resolve()), "rows": len(cell_rows)})
        )
    Path(out).mkdir(parents=True, exist_ok=True)
    manifest = EvalManifest(
        kind="rescore",
        suite=suite
        or {
            "name": "rescore",
            "listeners": {"source": str(source)},
            "prompts": ["-"],
            "models": [{"alias": "-", "model": "-"}],
        },
        status="complete",
        cells=cells,
        scorers=list(names),
        code_version=wrapped.__version__,
        rescored_from=str(source),
        judge=f"{judge.model_name}" if judge else None,
    )
    manifest.rows = write_rows(Path(out), rows)
    atomic_write_text(Path(out) / "manifest.json", manifest.to_json())
    return manifest


def _rescored(
    checks: dict[tuple[str, str], list[Check]], story: Story, _year: UserYear
) -> list[Check]:
    return checks[(story.user_id, story.day.isoformat())]


def _inclusion(results: Path) -> dict[str, float]:
    from wrapped.eval.listeners import SampledListener
    from wrapped.store import read_jsonl

    path = results / "listeners" / "sample.jsonl"
    if not path.exists():
        return {}
    return {
        r.user_id: r.inclusion_prob
        for r in (SampledListener.model_validate(x) for x in read_jsonl(path))
    }
