"""`wrapped eval run`: every cell of the matrix through the batch job itself.

A cell (prompt version x writer model alias x judge configuration) is one `run_generate` call
with that cell's settings and the suite's sample as `--sample FILE`: the same plan, Ray
fan-out, response cache, rate limiter, generate stage, gate and store as `wrapped generate`.
Its run folder lands under OUT/runs/, named by the batch job's own hash of the settings, so
rerunning the eval resumes each cell exactly once from its journals. Rows are then read back
through `RunStore` and written whole, atomically, after the last cell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import wrapped
from wrapped.eval.listeners import ListenerSet, prepare_listeners
from wrapped.eval.model import CellInfo, EvalManifest, EvalRow
from wrapped.eval.rows import run_rows, write_rows
from wrapped.eval.suite import JudgeConfig, ModelAlias, Suite
from wrapped.settings import Settings, load_settings
from wrapped.store import RunStore, atomic_write_text


class Cell:
    """One cell: its name and the settings its batch run uses."""

    def __init__(self, prompt: str, model: ModelAlias, judge: JudgeConfig) -> None:
        self.prompt = prompt
        self.model = model
        self.judge = judge
        self.name = f"{prompt}-{model.alias}-{judge.name}"

    def settings(self, suite: Suite, config: Path | None) -> Settings:
        j = self.judge
        return load_settings(
            config,
            backend="openai",
            base_url=self.model.base_url,
            api_key=self.model.api_key() or "unused",
            model=self.model.model,
            prompt_version=self.prompt,
            judge=j.enabled,
            judge_model=j.model if j.enabled else None,
            judge_base_url=j.base_url if j.enabled else None,
            judge_suite=j.suite,
            max_days=suite.days.max,
            gate_max_attempts=suite.gate_attempts,
            # a failing draft is kept as written (held for review), never swapped for the
            # embedded writer's: the eval scores what the model wrote
            on_gate_fail="needs_review",
            # a cell where every story fails the gate is a finding, not a crash
            max_failure_rate=1.0,
            seed=suite.listeners.seed,
        )

    def info(self) -> CellInfo:
        host = urlsplit(self.model.base_url).netloc if self.model.base_url else None
        return CellInfo(
            name=self.name,
            prompt=self.prompt,
            model_alias=self.model.alias,
            model=self.model.model,
            endpoint_host=host,
            judge=self.judge.name,
        )


def cells_of(suite: Suite) -> list[Cell]:
    return [Cell(p, m, j) for p in suite.prompts for m in suite.models for j in suite.judges]


RunCell = Callable[[Cell, Settings, ListenerSet, Path], Path]
"""Runs one cell's batch job and returns its run folder (the CLI passes its progress bar)."""


def run_suite(
    suite: Suite,
    out: Path,
    *,
    run_cell: RunCell,
    config: Path | None = None,
    stage: Callable[[str], None] = lambda _: None,
) -> EvalManifest:
    """Run (or resume) every cell, then write rows and the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cells = cells_of(suite)
    base = cells[0].settings(suite, config)
    stage(f"listeners: {suite.listeners.source}")
    listeners = prepare_listeners(
        Path(suite.listeners.source),
        out,
        strata=suite.listeners.strata,
        per_stratum=suite.listeners.per_stratum,
        seed=suite.listeners.seed,
        settings=base,
    )
    infos = [c.info() for c in cells]
    manifest = EvalManifest(
        suite=suite.model_dump(mode="json"),
        status="running",
        cells=infos,
        scorers=suite.scorers,
        code_version=wrapped.__version__,
    )
    _write(out, manifest)
    inclusion = {s.user_id: s.inclusion_prob for s in listeners.listeners}
    rows: list[EvalRow] = []
    for i, (cell, info) in enumerate(zip(cells, infos, strict=True), 1):
        stage(f"cell {i}/{len(cells)}: {cell.name}")
        run_dir = run_cell(cell, cell.settings(suite, config), listeners, out / "runs")
        store = RunStore(run_dir)
        m = store.manifest()
        labels = {
            "cell": cell.name,
            "prompt": cell.prompt,
            "model_alias": cell.model.alias,
            "model": cell.model.model,
            "judge": cell.judge.name,
            "run_id": m.run_id,
        }
        cell_rows = run_rows(store, labels, inclusion=inclusion, categories=suite.days.categories)
        rows += cell_rows
        info.run_id = m.run_id
        info.run_dir = (
            str(run_dir.relative_to(out)) if run_dir.is_relative_to(out) else str(run_dir)
        )
        info.status = "complete" if m.status == "complete" else "incomplete"
        info.rows = len(cell_rows)
        _write(out, manifest)
    manifest.rows = write_rows(out, rows)
    manifest.status = "complete" if all(c.status == "complete" for c in infos) else "incomplete"
    _write(out, manifest)
    return manifest


def _write(out: Path, manifest: EvalManifest) -> None:
    atomic_write_text(out / "manifest.json", manifest.to_json())
