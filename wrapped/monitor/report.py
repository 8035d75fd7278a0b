"""The monitor's findings and alerts as typed records (the `--json` file is `Report`)."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Section = Literal["input", "output", "skew", "invariant"]
EffectKind = Literal["psi", "change", "share", "ratio"]


class Finding(BaseModel):
    """One figure in one cohort, baseline against now."""

    model_config = ConfigDict(extra="forbid")

    section: Section
    metric: str = Field(description="e.g. 'minutes', 'day.peak_hour', 'story.fallback'")
    key: str = Field(description="cohort key ('all' for everyone)")
    value: str = Field(description="cohort value")
    base: float | None
    now: float | None
    effect: float = Field(description="PSI, an absolute change, or a share (see effect_kind)")
    effect_kind: EffectKind
    threshold: float
    p: float | None = Field(default=None, description="the test's p-value, uncorrected")
    p_adjusted: float | None = Field(default=None, description="after the family correction")
    n_base: int
    n_now: int
    alert: bool = False
    explained_by: str | None = Field(
        default=None, description="a narrower cohort whose listeners account for this drift"
    )

    @property
    def cohort(self) -> str:
        return "all" if self.key == "all" else f"{self.key}={self.value}"

    def line(self) -> str:
        """The alert's one line: metric, cohort, baseline → now, threshold."""
        p = "" if self.p_adjusted is None else f", p_adj={self.p_adjusted:.2g}"
        return (
            f"ALERT {self.section}.{self.metric} [{self.cohort}] {_num(self.base)} -> "
            f"{_num(self.now)} ({self.effect_kind} {self.effect:.3g} >= {self.threshold:g}{p}; "
            f"n {self.n_base} -> {self.n_now})"
        )


class Report(BaseModel):
    """Everything one `wrapped monitor` invocation found."""

    model_config = ConfigDict(extra="forbid")

    run: str
    baselines: list[str]
    tests: int = Field(description="tests in the corrected family")
    correction: str
    alpha: float
    findings: list[Finding]

    @property
    def alerts(self) -> list[Finding]:
        return [f for f in self.findings if f.alert]


def _num(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.4g}"
