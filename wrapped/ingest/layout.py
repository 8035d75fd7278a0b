"""One listener folder, one listener: stop before several people's exports become one listener.

Ingest reads each sub-folder of a folder it is given as one listener (`exports/<listener>/…`).
Given the parent of such a folder (`wrapped ingest data` instead of `data/sample`), every
listener's export lands in one "listener" folder, and a story would be written from twenty
people's plays. Two signs give that away, and both stop ingest with one line:

- two exports (zip archives, or folders of loose files) of the same kind — Spotify extended
  history, Spotify account data, ListenBrainz, Last.fm — whose plays overlap in time but are not
  the same plays. One person's two requests of the same export overlap with identical records
  (the duplicates are then turned away as usual), and one person's exports of different kinds
  overlap by design (account data and extended history are merged, see merge.py);
- Spotify files naming different accounts beside files that name none, which could then belong
  to either (files that name their account are still attributed to it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import NamedTuple

import pandas as pd

from wrapped.errors import InputError
from wrapped.ingest import detect
from wrapped.ingest.sources import Source

#: The kinds of export two of which, overlapping, cannot be one listener's.
KINDS = {
    detect.SPOTIFY_EXTENDED: "Spotify extended streaming histories",
    detect.SPOTIFY_EXTENDED_CSV: "Spotify extended streaming histories",
    detect.SPOTIFY_ACCOUNT: "Spotify account-data streaming histories",
    detect.LISTENBRAINZ: "ListenBrainz exports",
    detect.LASTFM: "Last.fm scrobble exports",
}
#: Below this share of identical plays where two exports overlap, they are two people's.
SAME_LISTENER_SHARE = 0.5
LAYOUT = (
    "ingest reads each sub-folder of the folder it is given as one listener "
    "(FOLDER/<listener>/<that listener's exports>)"
)


class EventFile(NamedTuple):
    """One history file as read: its staged rows are `frame[frame['part'] == part]`."""

    source: Source
    format: str
    frame: pd.DataFrame
    part: int
    account: str | None  # the account name the file gives (raw: never leaves ingest)


def _plays(files: list[EventFile]) -> pd.DataFrame:
    """The timed plays of one export: (ts, ms_played, what was played)."""
    parts = []
    for f in files:
        sub = f.frame[f.frame["part"] == f.part]
        what = sub["track"].fillna(sub["episode"]).fillna(sub["uri"])
        parts.append(pd.DataFrame({"ts": sub["ts"], "ms": sub["ms_played"], "what": what}))
    plays = pd.concat(parts, ignore_index=True).dropna(subset=["ts", "ms"])
    return plays.astype({"ms": "int64", "what": "string"}).fillna({"what": ""})


def _different_people(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """True when two exports of one kind overlap in time with (mostly) different plays."""
    if a.empty or b.empty:
        return False
    lo, hi = max(a["ts"].min(), b["ts"].min()), min(a["ts"].max(), b["ts"].max())
    if lo > hi:
        return False
    a = a[a["ts"].between(lo, hi)].drop_duplicates()
    b = b[b["ts"].between(lo, hi)].drop_duplicates()
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    if small.empty:
        return False
    shared = len(small.merge(big, on=["ts", "ms", "what"]))
    return shared < SAME_LISTENER_SHARE * len(small)


def _where(export: str) -> str:
    return export or "the folder itself"


def _sub_folder(src: Source) -> str:
    """The sub-folder of the listener folder an export lies in ('' when at its top)."""
    if src.path is not None:  # loose files: the export is their folder
        return src.export.split("/")[0]
    return src.export.split("/")[0] if "/" in src.export else ""  # a zip, maybe in a sub-folder


def _overlap_error(folder: str, kind: str, a: EventFile, b: EventFile) -> InputError:
    first, second = a.source.export, b.source.export
    sub_a, sub_b = _sub_folder(a.source), _sub_folder(b.source)
    apart = bool(sub_a and sub_b and sub_a != sub_b)
    fix = (
        f"give the folder whose sub-folders are the listeners (`wrapped ingest {folder}`)"
        if apart
        else "put each listener's exports in a folder of their own"
    )
    return InputError(
        f"holds more than one listener's exports: {kind} in {_where(first)} and "
        f"{_where(second)} cover the same time with different plays; {LAYOUT}; {fix}",
        file=folder,
    )


def check_one_listener_per_folder(
    files: Iterable[EventFile], userdata_accounts: dict[str, set[str]], *, user_given: bool
) -> None:
    """Raise InputError (one line, naming the folder) when a listener folder holds several people.

    `userdata_accounts` maps a listener folder (group) to the Spotify account names its
    Userdata.json files give. With `user_given` (--user), accounts may differ: the user said
    whose they are.
    """
    by_kind: dict[tuple[str, str], dict[str, list[EventFile]]] = defaultdict(dict)
    spotify_accounts: dict[str, set[str]] = defaultdict(set)
    unnamed: dict[str, list[Source]] = defaultdict(list)
    for f in files:
        kind = KINDS.get(f.format)
        if kind is None:  # canonical tables carry their own listener ids
            continue
        by_kind[(f.source.group, kind)].setdefault(f.source.export, []).append(f)
        if f.format.startswith("spotify"):
            if f.account:
                spotify_accounts[f.source.group].add(f.account.strip().lower())
            else:
                unnamed[f.source.group].append(f.source)
    for (_, kind), exports in by_kind.items():
        if len(exports) < 2:
            continue
        plays = {e: _plays(fs) for e, fs in exports.items()}
        for first, second in combinations(sorted(plays), 2):
            if _different_people(plays[first], plays[second]):
                one, other = exports[first][0], exports[second][0]
                raise _overlap_error(one.source.folder, kind, one, other)
    if user_given:
        return
    for group, sources in unnamed.items():
        names = spotify_accounts[group] | {a.lower() for a in userdata_accounts.get(group, ())}
        if len(names) > 1:
            raise InputError(
                f"holds Spotify exports of {len(names)} different accounts, and "
                f"{sources[0].label} names none, so it could be any of them; {LAYOUT}",
                file=sources[0].folder,
            )
