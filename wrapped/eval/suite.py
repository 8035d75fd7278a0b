"""An eval suite is a file: `evals/suites/<name>.toml`, read into a typed `Suite`.

It says which listeners (an export or ingest folder and a seeded sample stratified by cohort
keys), which days, the matrix (prompt versions x writer model aliases x judge configurations),
the scorers and the regression thresholds. The command line replaces any axis
(`--prompt v2 --model fast=gpt-4o-mini@https://...`) so one suite runs against any endpoint.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from wrapped.analysis.cohorts import COHORT_KEYS
from wrapped.errors import ConfigError


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Listeners(_Model):
    """Who the stories are written for."""

    source: str = Field(description="export files/folder or an ingest output folder")
    strata: list[str] = Field(
        default_factory=lambda: ["country", "tier"], description="cohort keys to stratify by"
    )
    per_stratum: int = Field(default=2, ge=1, description="listeners drawn from each stratum")
    seed: int = 0


class Days(_Model):
    """Which interesting days get a story."""

    max: int = Field(default=5, ge=1, le=5, description="interesting days per listener")
    categories: list[str] = Field(
        default_factory=list,
        description="keep only rows of these day categories (empty: all); the batch job still "
        "writes each listener's first `max` interesting days, so a resume stays exact",
    )


class ModelAlias(_Model):
    """A writer model under a short name: its model name, endpoint and key variable."""

    alias: str
    model: str
    base_url: str | None = None
    key_env: str = Field(default="OPENAI_API_KEY", description="environment variable of the key")

    def api_key(self) -> str | None:
        return os.environ.get(self.key_env)


class JudgeConfig(_Model):
    """One judge configuration of the matrix ("off", or a model at an endpoint)."""

    name: str
    enabled: bool = False
    model: str | None = None
    base_url: str | None = None
    suite: Literal["panel", "full"] = "panel"


class Threshold(_Model):
    """How far a metric may move before `compare` calls it a regression."""

    max_drop: float | None = Field(default=None, description="for higher-is-better metrics")
    max_rise: float | None = Field(default=None, description="for lower-is-better metrics")

    @model_validator(mode="after")
    def _one(self) -> Threshold:
        if (self.max_drop is None) == (self.max_rise is None):
            raise ValueError("give exactly one of max_drop or max_rise")
        return self


class Suite(_Model):
    """One eval suite file, typed."""

    name: str
    description: str = ""
    listeners: Listeners
    days: Days = Field(default_factory=Days)
    prompts: list[str] = Field(min_length=1)
    models: list[ModelAlias] = Field(min_length=1)
    judges: list[JudgeConfig] = Field(
        default_factory=lambda: [JudgeConfig(name="nojudge", enabled=False)], min_length=1
    )
    gate_attempts: int = Field(
        default=1, ge=1, description="1: every row is the writer's own first draft"
    )
    scorers: list[str] = Field(default_factory=lambda: ["format", "grounding", "safety"])
    compare_by: list[str] = Field(
        default_factory=lambda: ["country", "tier"], description="cohort keys compare slices by"
    )
    thresholds: dict[str, Threshold] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_keys(self) -> Suite:
        for key in [*self.listeners.strata, *self.compare_by]:
            if key not in COHORT_KEYS:
                raise ValueError(f"unknown cohort key {key!r} (known: {', '.join(COHORT_KEYS)})")
        aliases = [m.alias for m in self.models]
        if len(set(aliases)) != len(aliases):
            raise ValueError("model aliases must be unique")
        return self


def load_suite(path: Path) -> Suite:
    """Read a suite file; one clear line when it is missing or wrong."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: suite file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    data.setdefault("name", Path(path).stem)
    try:
        suite = Suite.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise ConfigError(f"{path}: {loc}: {err['msg'].removeprefix('Value error, ')}") from None
    src = Path(suite.listeners.source)
    if not src.is_absolute() and not src.exists():
        # relative to the suite file when not found from the working folder
        beside = (Path(path).parent / src).resolve()
        if beside.exists():
            suite.listeners.source = str(beside)
    return suite


_MODEL_SPEC = re.compile(r"^(?P<alias>[\w.-]+)=(?P<model>[^@]+?)(?:@(?P<url>\S+))?$")


def parse_model_spec(spec: str) -> ModelAlias:
    """`ALIAS=MODEL@URL` (the URL optional) as a `ModelAlias`."""
    m = _MODEL_SPEC.match(spec.strip())
    if not m:
        raise ConfigError(f"--model {spec!r}: expected ALIAS=MODEL or ALIAS=MODEL@BASE_URL")
    return ModelAlias(alias=m["alias"], model=m["model"], base_url=m["url"])


def with_overrides(
    suite: Suite,
    *,
    prompts: list[str] | None = None,
    models: list[str] | None = None,
    base_url: str | None = None,
    listeners: str | None = None,
) -> Suite:
    """The suite with command-line axes replacing its own; `base_url` fills every model
    alias (and judge) that names no endpoint."""
    update: dict[str, object] = {}
    if prompts:
        update["prompts"] = prompts
    aliases = [parse_model_spec(s) for s in models] if models else list(suite.models)
    if base_url:
        aliases = [
            a if a.base_url else a.model_copy(update={"base_url": base_url}) for a in aliases
        ]
        update["judges"] = [
            j.model_copy(update={"base_url": base_url}) if j.enabled and not j.base_url else j
            for j in suite.judges
        ]
    update["models"] = aliases
    if listeners:
        update["listeners"] = suite.listeners.model_copy(update={"source": listeners})
    try:
        return Suite.model_validate(
            {**suite.model_dump(), **{k: _dump(v) for k, v in update.items()}}
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}") from None


def _dump(v: object) -> object:
    if isinstance(v, BaseModel):
        return v.model_dump()
    if isinstance(v, list):
        return [_dump(x) for x in v]
    return v
