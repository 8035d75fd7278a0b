"""One module per export format. Each turns one file into a *staged* frame (see validate.py)."""

from __future__ import annotations

import json
from typing import NamedTuple

import numpy as np
import pandas as pd

from wrapped.errors import InputError
from wrapped.ingest.scan import RecordLimits, check


class Staged(NamedTuple):
    """What a listening-history reader returns for one file."""

    frame: pd.DataFrame  # validate.STAGE_DTYPES
    account: str | None = None  # the account name the file names, if any (raw: never written)


def majority(accounts: pd.Series) -> str | None:
    """The most common non-blank account name in a file (old Spotify rows often have '')."""
    s = accounts.dropna().astype("string").str.strip()
    s = s[s != ""]
    return None if s.empty else str(s.value_counts().index[0])


def load_json(
    text: str, expected: str, where: str, limits: RecordLimits = RecordLimits()
) -> object:
    """Parse a whole JSON file; any failure is one InputError line naming the file (a record
    nested past `limits.max_depth` names the record too: scan.py)."""
    return load_records(text, expected, where, limits)[0]


def load_records(
    text: str, expected: str, where: str, limits: RecordLimits = RecordLimits()
) -> tuple[object, np.ndarray]:
    """Parse a whole JSON file -> (the value, which of its records are over the size limit).

    The records are the elements of a top-level array (else the value is one record); the
    depth and size verdicts are scan.check's, the same the DuckDB fast path gets.
    """
    raw = text.encode("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc}); {expected}", file=where) from None
    except RecursionError:  # deeper than Python's parser goes: check names the record
        check(raw, where, 0, limits)
        raise InputError(
            f"JSON nested too deeply to be a record list; {expected}", file=where
        ) from None
    if not isinstance(data, list):
        return data, check(raw, where, 1, limits)
    objects = all(isinstance(r, dict) for r in data)
    return data, check(raw, where, len(data), limits, objects=objects)
