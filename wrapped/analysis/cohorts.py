"""A listener's cohort keys, the slices every eval, review and monitor figure is broken down by.

A cohort is read from the `UserYear` the run stored (never recomputed), so a story and the
listener it was written for are always sliced the same way. Missing values become "unknown"
rather than being dropped: a cohort of listeners without a birth date is a cohort too.
"""

from __future__ import annotations

from wrapped.stats.model import UserYear

COHORT_KEYS: tuple[str, ...] = tuple(
    ["country", "tier", "age_band", "activity_band", "top_genre", "source_format"]
)
"""Every key a figure can be sliced by, in display order."""

UNKNOWN = "unknown"


def cohort_of(year: UserYear) -> dict[str, str]:
    """The listener's cohort keys as strings ("unknown" where the year does not say).

    Reads every field of `UserYear.cohort`, so a key added there (e.g. `source_format`) shows up
    here with no other edit; keys in `COHORT_KEYS` the year does not hold are "unknown".
    """
    found = {k: v for k, v in year.cohort.model_dump().items()}
    out = {k: _text(found.get(k)) for k in COHORT_KEYS}
    for k, v in found.items():
        out.setdefault(k, _text(v))
    return out


def parse_keys(spec: str | None, default: tuple[str, ...] = COHORT_KEYS) -> tuple[str, ...]:
    """`"country,tier"` → ("country", "tier"), each checked against `COHORT_KEYS`.

    Raises `ValueError` naming the unknown key (the CLI turns it into a `ConfigError`).
    """
    if not spec:
        return default
    keys = tuple(k.strip() for k in spec.split(",") if k.strip())
    bad = [k for k in keys if k not in COHORT_KEYS]
    if bad:
        raise ValueError(f"unknown cohort key {bad[0]!r} (known: {', '.join(COHORT_KEYS)})")
    return keys


def _text(value: object) -> str:
    return UNKNOWN if value is None or value == "" else str(value)
