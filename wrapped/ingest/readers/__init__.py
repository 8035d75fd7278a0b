"""One module per export format. Each turns one file into a *staged* frame (see validate.py)."""

from __future__ import annotations

import json
from typing import NamedTuple

import pandas as pd

from wrapped.errors import InputError


class Staged(NamedTuple):
    """What a listening-history reader returns for one file."""

    frame: pd.DataFrame  # validate.STAGE_DTYPES
    account: str | None = None  # the account name the file names, if any (raw: never written)


def majority(accounts: pd.Series) -> str | None:
    """The most common non-blank account name in a file (old Spotify rows often have '')."""
    s = accounts.dropna().astype("string").str.strip()
    s = s[s != ""]
    return None if s.empty else str(s.value_counts().index[0])


def load_json(text: str, expected: str, where: str) -> object:
    """Parse a whole JSON file; any failure is one InputError line naming the file."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc}); {expected}", file=where) from None
    except RecursionError:  # 100,000 nested arrays: no export nests more than a few levels
        raise InputError(
            f"JSON nested too deeply to be a record list; {expected}", file=where
        ) from None
