"""What kind of item each of a listener's names is: an artist, a track, an album, a genre, a
podcast or an episode (as the top list it would rank in).

A rank phrase is about an item of its noun's kind: "your top track" is said of a track, so in
"Weird River by Sunny Raven Club was your top track" it is the track, not the artist named
nearer to it, and in "... with Sweet Rain as your top artist and metal as your top genre" the
artist, not the genre. Read from the `UserYear`'s own fields (top lists, day logs, the named
artists and tracks of its sections); a name the listener's data does not know has no kind.
"""

from __future__ import annotations

from functools import lru_cache
from operator import attrgetter

from wrapped.stats.model import UserYear

#: what a row's `by` is, per list (a track's and an album's artist, an episode's show)
_BY = {"top_tracks": "top_artists", "top_albums": "top_artists", "top_episodes": "top_podcasts"}
_LISTS = ("top_artists", "top_tracks", "top_albums", "top_genres", "top_podcasts",
          "top_episodes")  # fmt: skip
#: each list's bit in a kind mask (`name_kinds`)
_BIT = {lst: 1 << i for i, lst in enumerate(_LISTS)}
#: a log entry's fields by kind: (field, list) for the entries of that kind
_LOG_FIELDS = {
    kind: tuple((attrgetter(name), lst) for name, lst in fields)
    for kind, fields in (
        ("track", (("title", "top_tracks"), ("by", "top_artists"), ("album", "top_albums"),
                   ("genre", "top_genres"))),
        ("episode", (("title", "top_episodes"), ("by", "top_podcasts"),
                     ("album", "top_albums"), ("genre", "top_genres"))),
    )
}  # fmt: skip
_NAME, _ROW_BY, _KIND = attrgetter("name"), attrgetter("by"), attrgetter("kind")


def name_kinds(uy: UserYear) -> dict[str, int]:
    """Each name, as written in the data -> the lists (kinds) it is known in, as a mask of
    `lists_of`'s bits. Read a column at a time (C-level `map`s) and deduplicated per list
    before any per-name work: a listener's ~650 named items are ~200 names."""
    by_list: dict[str, list[str | None]] = {lst: [] for lst in _LISTS}
    for lst in _LISTS:
        for rows in (getattr(uy, lst), getattr(uy, f"{lst}_by_plays", ())):
            by_list[lst] += map(_NAME, rows)
            if lst in _BY:
                by_list[_BY[lst]] += map(_ROW_BY, rows)
    for d in uy.days:
        kinds = list(map(_KIND, d.log))
        for kind, fields in _LOG_FIELDS.items():  # an audiobook chapter ranks in no list
            entries = [e for e, k in zip(d.log, kinds, strict=True) if k == kind]
            if entries:
                for column, lst in fields:
                    by_list[lst] += map(column, entries)
    artists, tracks = by_list["top_artists"], by_list["top_tracks"]
    artists.append(uy.discovery.top_new_artist)
    artists += [m.top_artist for m in uy.months]
    artists += [p.artist for p in uy.peak_months]
    artists += (uy.streak.artist, uy.artist_streak.artist, uy.habits.repeat_artist)
    tracks.append(uy.habits.repeat_track)
    by_list["top_genres"].append(uy.cohort.top_genre)
    out: dict[str, int] = {}
    get = out.get
    for lst, names in by_list.items():
        bit = _BIT[lst]
        for name in dict.fromkeys(names):
            if name:
                out[name] = get(name, 0) | bit
    return out


@lru_cache(maxsize=64)
def lists_of(mask: int) -> frozenset[str]:
    """The lists a kind mask names: one shared set per combination (a listener's ~170 names
    have a handful of kinds between them, each kept for as long as its index lives)."""
    return frozenset(lst for lst in _LISTS if mask & _BIT[lst])
