"""What kind of item each of a listener's names is: an artist, a track, an album, a genre, a
podcast or an episode (as the top list it would rank in).

A rank phrase is about an item of its noun's kind: "your top track" is said of a track, so in
"Weird River by Sunny Raven Club was your top track" it is the track, not the artist named
nearer to it, and in "... with Sweet Rain as your top artist and metal as your top genre" the
artist, not the genre. Read from the `UserYear`'s own fields (top lists, day logs, the named
artists and tracks of its sections); a name the listener's data does not know has no kind.
"""

from __future__ import annotations

from collections.abc import Iterator

from wrapped.stats.model import UserYear

#: what a row's `by` is, per list (a track's and an album's artist, an episode's show)
_BY = {"top_tracks": "top_artists", "top_albums": "top_artists", "top_episodes": "top_podcasts"}
_LISTS = ("top_artists", "top_tracks", "top_albums", "top_genres", "top_podcasts",
          "top_episodes")  # fmt: skip
_LOG_TITLE = {"track": "top_tracks", "episode": "top_episodes"}


def _named(uy: UserYear) -> Iterator[tuple[str | None, str]]:
    """(name, list) for every name of the year whose kind its field says."""
    for lst in _LISTS:
        for rows in (getattr(uy, lst), getattr(uy, f"{lst}_by_plays", ())):
            for r in rows:
                yield r.name, lst
                if r.by and lst in _BY:
                    yield r.by, _BY[lst]
    for d in uy.days:
        for e in d.log:
            title = _LOG_TITLE.get(e.kind)
            if title is None:
                continue  # an audiobook chapter ranks in no list
            yield e.title, title
            yield e.by, "top_artists" if e.kind == "track" else "top_podcasts"
            yield e.album, "top_albums"
            yield e.genre, "top_genres"
    yield uy.discovery.top_new_artist, "top_artists"
    for m in uy.months:
        yield m.top_artist, "top_artists"
    for p in uy.peak_months:
        yield p.artist, "top_artists"
    yield uy.streak.artist, "top_artists"
    yield uy.artist_streak.artist, "top_artists"
    yield uy.habits.repeat_artist, "top_artists"
    yield uy.habits.repeat_track, "top_tracks"
    yield uy.cohort.top_genre, "top_genres"


def name_kinds(uy: UserYear) -> dict[str, set[str]]:
    """Each name, as written in the data -> the lists (kinds) it is known in."""
    out: dict[str, set[str]] = {}
    for name, lst in _named(uy):
        if name:
            out.setdefault(name, set()).add(lst)
    return out
