"""Planted faults: seeded drift in demo data, so the run monitor can be shown (and tested) to
flag a fault in the cohort it hit and nowhere else.

- `tz-shift:CC` — the listeners of country CC have every timestamp shifted by their zone's UTC
  offset, as a lost time-zone conversion does (local wall time stored as if it were UTC): their
  days and hours move, nobody else's do.
- `catalog-gap:CC` — the listeners of country CC come from a regional feed whose artist names do
  not match the catalog (upper-cased), so no genre or release year is found for them.

The third fault the monitor is shown against is a prompt version that breaks one locale:
`examples/prompts/` (see the README's "Monitoring and schedulers").
"""

from __future__ import annotations

from typing import NamedTuple
from zoneinfo import ZoneInfo

import pandas as pd

from wrapped.demo.synth import COUNTRIES
from wrapped.errors import ConfigError

FAULTS = ("tz-shift", "catalog-gap")


class Fault(NamedTuple):
    kind: str
    country: str


def parse_fault(spec: str) -> Fault:
    """`tz-shift:JP` → Fault("tz-shift", "JP"); one clear line for anything else."""
    kind, _, country = spec.partition(":")
    known = sorted({c for c, _, _ in COUNTRIES})
    if kind not in FAULTS or country.upper() not in known:
        raise ConfigError(
            f"--plant {spec!r}: expected FAULT:COUNTRY with FAULT one of {', '.join(FAULTS)} "
            f"and COUNTRY one of {', '.join(known)}"
        )
    return Fault(kind, country.upper())


def plant(events: pd.DataFrame, country_of: dict[str, str], fault: Fault) -> pd.DataFrame:
    """`events` with `fault` planted in the listeners whose country is `fault.country`."""
    hit = events["user_id"].map(country_of).eq(fault.country).fillna(False).to_numpy(dtype=bool)
    if not hit.any():
        return events
    out = events.copy()
    if fault.kind == "tz-shift":
        zone = ZoneInfo(next(z for c, z, _ in COUNTRIES if c == fault.country))
        ts = pd.DatetimeIndex(out.loc[hit, "ts"])
        offset = ts.tz_convert(zone).tz_localize(None) - ts.tz_localize(None)
        out.loc[hit, "ts"] = ts + offset
    else:
        out.loc[hit, "artist"] = out.loc[hit, "artist"].str.upper()
    return out
