"""Split the prepared events into chunks of whole listeners (bounded memory, same results)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from wrapped.stats.keys import stable_order
from wrapped.stats.prepare import Prepared

#: per-window-event arrays of Prepared (sliced together when splitting by listener)
_EVENT_FIELDS = ("uid", "day", "hour", "weekday", "month", "ms", "kind", "artist", "track", "album",
                 "show", "episode", "genre", "ryear", "skip", "done", "shuffle", "est", "wall", "ts", "row")  # fmt: skip


def split_by_users(p: Prepared, max_events: int) -> Iterator[Prepared]:
    """Split into chunks of whole listeners (about `max_events` window events each).

    Every chunk keeps the global key spaces and population shares, so per-listener results are
    identical to the unsplit computation; only the working set (and memory) gets smaller.
    """
    n = p.n_users
    per_user = np.bincount(p.uid, minlength=n)
    if n == 0 or len(p.uid) <= max_events:
        yield p
        return
    grouped = bool(np.all(p.uid[1:] >= p.uid[:-1]))  # prepare() groups them: slices suffice
    order = None if grouped else stable_order(p.uid)
    starts = np.r_[0, np.cumsum(per_user)]
    cuts = [0]
    acc = 0
    for u, cnt in enumerate(per_user.tolist()):  # a loop over listeners, not events
        if acc and acc + cnt > max_events:
            cuts.append(u)
            acc = 0
        acc += cnt
    cuts.append(n)
    na = max(len(p.spaces["artist"]), 1)
    hist_at = np.searchsorted(p.hist_pairs, np.asarray(cuts, dtype=np.int64) * na)  # sorted
    for ci, (u0, u1) in enumerate(zip(cuts[:-1], cuts[1:], strict=True)):
        sel = slice(starts[u0], starts[u1]) if order is None else order[starts[u0] : starts[u1]]
        fields = {f: getattr(p, f)[sel] for f in _EVENT_FIELDS}
        fields["uid"] = fields["uid"] - u0
        h = p.hist_pairs[hist_at[ci] : hist_at[ci + 1]]
        yield (
            Prepared(
                users=p.users[u0:u1], year=p.year, start_day=p.start_day, end_day=p.end_day,
                zones=p.zones[u0:u1], tz_sources=p.tz_sources[u0:u1], countries=p.countries[u0:u1],
                tiers=p.tiers[u0:u1], birth_dates=p.birth_dates[u0:u1],
                source_formats=p.source_formats[u0:u1],
                has_history=p.has_history[u0:u1], hist_pairs=h - u0 * na, spaces=p.spaces,
                artist_share=p.artist_share, artist_genre=p.artist_genre,
                raw={k: (codes[sel], names) for k, (codes, names) in p.raw.items()},
                **fields,
            )
        )  # fmt: skip
