"""The eval's typed records: one `EvalRow` per (cell, listener, day), and the versioned
`EvalManifest` of a results folder (inspect's `EvalLog(version=...)`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wrapped.errors import InputError

#: the results format this code writes (rows + manifest)
SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RowCheck(_Model):
    """One scorer's outcome on the row's story."""

    name: str
    layer: str
    status: str
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)
    contradicted: list[str] = Field(
        default_factory=list, description="claims the data does not support: 'text (why)'"
    )


class EvalRow(_Model):
    """One story of one cell: text, every scorer's result, decision, cost, who it was for."""

    cell: str
    prompt: str
    model_alias: str
    model: str
    judge: str
    run_id: str
    user_id: str
    day: str
    story_id: str = Field(description="'<user_id>/<day>', the key labels and reviews use")
    category: str
    title: str = ""
    story: str = ""
    decision: str
    attempts: int = 0
    checks: list[RowCheck] = Field(default_factory=list)
    metrics: dict[str, float | None] = Field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cohort: dict[str, str] = Field(default_factory=dict)
    inclusion_prob: float = 1.0


class CellInfo(_Model):
    """One cell of the matrix and the batch run that wrote it."""

    name: str
    prompt: str
    model_alias: str
    model: str
    endpoint_host: str | None = None
    judge: str
    run_id: str | None = None
    run_dir: str | None = Field(default=None, description="the batch run's folder")
    status: Literal["pending", "complete", "incomplete"] = "pending"
    rows: int = 0


class EvalManifest(_Model):
    """manifest.json of a results folder."""

    schema_version: int = SCHEMA_VERSION
    kind: Literal["run", "rescore"] = "run"
    suite: dict[str, Any]
    status: Literal["running", "complete", "incomplete"]
    cells: list[CellInfo]
    scorers: list[str]
    rows: int = 0
    code_version: str
    rescored_from: str | None = None
    judge: str | None = Field(default=None, description="the rescoring judge, if any")

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


def read_manifest(folder: Path) -> EvalManifest:
    """A results folder's manifest; one clear line when it is not one."""
    path = Path(folder) / "manifest.json"
    if not path.exists():
        raise InputError("not an eval results folder (no manifest.json)", file=str(folder))
    data = json.loads(path.read_text(encoding="utf-8"))
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, int) or "cells" not in data:
        raise InputError("not an eval results manifest", file=str(path))
    if version > SCHEMA_VERSION:
        raise InputError(
            f"written by a newer wrapped (results schema {version}): upgrade to read it",
            file=str(path),
        )
    return EvalManifest.model_validate(data)
