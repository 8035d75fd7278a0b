"""One module per export format. Each turns one file into a *staged* frame (see validate.py)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd


class Staged(NamedTuple):
    """What a listening-history reader returns for one file."""

    frame: pd.DataFrame  # validate.STAGE_DTYPES
    account: str | None = None  # the account name the file names, if any (raw: never written)


def majority(accounts: pd.Series) -> str | None:
    """The most common non-blank account name in a file (old Spotify rows often have '')."""
    s = accounts.dropna().astype("string").str.strip()
    s = s[s != ""]
    return None if s.empty else str(s.value_counts().index[0])
