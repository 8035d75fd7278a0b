"""The monitor's thresholds and cohorts: a TOML file over the packaged defaults (`default.toml`).

Why a file: the people who run the pipeline on a schedule tune thresholds per deployment and
keep them under version control beside the cron or DAG that calls `wrapped monitor`.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wrapped.analysis.cohorts import COHORT_KEYS
from wrapped.errors import ConfigError

MONITOR_KEYS: tuple[str, ...] = (*COHORT_KEYS, "locale")
"""The shared cohort keys, plus the listener's locale (which English a prompt writes)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InputThresholds(_Model):
    psi: float = Field(gt=0, description="PSI at or above which an input figure has drifted")
    bins: int = Field(ge=2, le=50, description="quantile bins of the baseline, numeric figures")


class OutputThresholds(_Model):
    rate_change: float = Field(gt=0, le=1)
    psi: float = Field(gt=0)
    sameness_change: float = Field(gt=0, le=1)


class SkewThresholds(_Model):
    max_share: float = Field(gt=0, le=1)


class InvariantThresholds(_Model):
    night_factor: float = Field(ge=1)
    night_min_change: float = Field(ge=0, le=1)
    max_day_hours: float = Field(gt=0, le=24)
    day_hours_change: float = Field(ge=0, le=1)
    tz_profile_change: float = Field(gt=0, le=1)


class MonitorConfig(_Model):
    """Every threshold of `wrapped monitor` (see default.toml for what each means)."""

    cohorts: list[str]
    min_cohort: int = Field(ge=2)
    alpha: float = Field(gt=0, lt=1)
    correction: Literal["holm", "bonferroni"]
    ignore: list[str] = Field(
        default_factory=list,
        description="figures never tested nor alerted on, by name (e.g. story.latency_s when the "
        "endpoint's speed is known to differ between the runs)",
    )
    input: InputThresholds
    output: OutputThresholds
    skew: SkewThresholds
    invariants: InvariantThresholds


def default_text() -> str:
    """The packaged default config (what `wrapped monitor` uses without --config)."""
    return resources.files("wrapped.monitor").joinpath("default.toml").read_text("utf-8")


def load_config(path: Path | None = None) -> MonitorConfig:
    """The defaults, with the tables and keys of `path` laid over them."""
    data = tomllib.loads(default_text())
    if path is not None:
        try:
            user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read monitor config {path}: {exc.strerror or exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"monitor config {path} is not TOML ({exc})") from None
        data = _merge(data, user)
    try:
        cfg = MonitorConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"monitor config {path or 'default'}: {where}: {err['msg']}") from None
    bad = [k for k in cfg.cohorts if k not in MONITOR_KEYS]
    if bad:
        raise ConfigError(
            f"monitor config {path}: unknown cohort key {bad[0]!r} "
            f"(known: {', '.join(MONITOR_KEYS)})"
        )
    return cfg


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out
