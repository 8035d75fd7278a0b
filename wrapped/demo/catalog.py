"""An invented music/podcast/audiobook catalog with a realistic popularity long tail.

Arrays, not objects: the event generator indexes into them with numpy, so ten million plays cost
a few `take`s instead of ten million Python lookups.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from wrapped.demo import names as nm

_B62 = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8
)


def spotify_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` random 22-character base62 ids, the shape of Spotify URIs' last part."""
    codes = _B62[rng.integers(0, 62, size=(n, 22))]
    return np.ascontiguousarray(codes).view("S22").ravel().astype(str)


class Catalog(NamedTuple):
    """Parallel arrays describing everything a demo listener can play."""

    artists: pa.Array  # string, one per artist
    artist_weight: np.ndarray  # float64, sums to 1 (Zipf-like)
    artist_genres: pa.Array  # string, ';'-separated, primary first
    artist_first_track: np.ndarray  # int64 index into tracks
    artist_n_tracks: np.ndarray  # int64
    tracks: pa.Array  # string
    track_artist: np.ndarray  # int64
    track_album: np.ndarray  # int64
    track_ms: np.ndarray  # int64 duration
    track_uri: pa.Array  # "spotify:track:..."
    albums: pa.Array  # string
    album_year: np.ndarray  # int64 release year
    shows: pa.Array
    show_weight: np.ndarray
    show_first_episode: np.ndarray
    show_n_episodes: np.ndarray
    episodes: pa.Array
    episode_ms: np.ndarray
    episode_uri: pa.Array
    books: pa.Array
    book_n_chapters: np.ndarray
    book_uri: pa.Array

    def frame(self) -> pd.DataFrame:
        """The catalog table (CATALOG_DTYPES): one row per track plus artist-level genre rows."""
        n_t = len(self.tracks)
        genres = self.artist_genres.take(pa.array(self.track_artist))
        tracks = pd.DataFrame(
            {
                "artist": _ser(self.artists.take(pa.array(self.track_artist))),
                "track": _ser(self.tracks),
                "album": _ser(self.albums.take(pa.array(self.track_album))),
                "release_year": pd.array(self.album_year[self.track_album], dtype="Int64"),
                "genres": _ser(genres),
            },
            index=pd.RangeIndex(n_t),
        )
        artists = pd.DataFrame(
            {
                "artist": _ser(self.artists),
                "track": pd.Series(pd.NA, index=range(len(self.artists)), dtype="string"),
                "album": pd.Series(pd.NA, index=range(len(self.artists)), dtype="string"),
                "release_year": pd.array([pd.NA] * len(self.artists), dtype="Int64"),
                "genres": _ser(self.artist_genres),
            }
        )
        return pd.concat([artists, tracks], ignore_index=True)


def _ser(arr: pa.Array) -> pd.Series:
    """A pandas 'string' Series sharing the Arrow buffer (no Python objects per row)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pd.Series(
        pd.arrays.ArrowStringArray(arr.cast(pa.large_string()).cast(pa.string())), dtype="string"
    )


def zipf_weights(rng: np.random.Generator, n: int, exponent: float = 1.0) -> np.ndarray:
    """Zipf-like popularity over `n` items in random order (so index says nothing about rank)."""
    w = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    rng.shuffle(w)
    weights: np.ndarray = w / w.sum()
    return weights


def build_catalog(
    rng: np.random.Generator, n_artists: int, n_shows: int, n_books: int, *, year: int
) -> Catalog:
    """Invent `n_artists` artists (with tracks, albums, genres, release years), shows and books."""
    artists = nm.artist_names(rng, n_artists)
    weight = zipf_weights(rng, n_artists, 0.9)
    # Popular artists have longer discographies; everyone has at least one track.
    n_tr = np.minimum(1 + rng.geometric(0.18, n_artists) + (weight * n_artists > 5) * 8, 80)
    first = np.concatenate([[0], np.cumsum(n_tr)[:-1]])
    n_tracks = int(n_tr.sum())
    track_artist = np.repeat(np.arange(n_artists), n_tr)
    offset = np.arange(n_tracks) - first[track_artist]
    albums_per_artist = (n_tr + 9) // 10
    album_first = np.concatenate([[0], np.cumsum(albums_per_artist)[:-1]])
    track_album = album_first[track_artist] + offset // 10
    n_albums = int(albums_per_artist.sum())
    album_artist = np.repeat(np.arange(n_artists), albums_per_artist)
    album_local = np.arange(n_albums) - album_first[album_artist]
    # Debut years skew recent but reach back to the 1960s, so nostalgia has something to find.
    debut = (year - np.minimum(rng.exponential(11.0, n_artists), year - 1960)).astype(np.int64)
    album_year = np.minimum(debut[album_artist] + album_local * rng.integers(1, 4, n_albums), year)

    g = len(nm.GENRE_LIST)
    primary = rng.integers(0, g, n_artists)
    second = (primary + rng.integers(1, g, n_artists)) % g
    has_second = rng.random(n_artists) < 0.6
    genre_names = np.asarray(nm.GENRE_LIST, dtype=object)
    artist_genres = np.where(
        has_second, genre_names[primary] + ";" + genre_names[second], genre_names[primary]
    )

    track_titles = nm.track_names(rng, n_tracks)
    track_titles = [
        t.split("\x00", 1)[1]
        for t in nm.unique([f"{a}\x00{t}" for a, t in zip(track_artist, track_titles, strict=True)])
    ]
    track_ms = np.clip(rng.normal(205_000, 45_000, n_tracks), 70_000, 600_000).astype(np.int64)

    shows = nm.show_names(rng, n_shows)
    n_ep = rng.integers(10, 80, n_shows)
    ep_first = np.concatenate([[0], np.cumsum(n_ep)[:-1]])
    n_episodes = int(n_ep.sum())
    ep_show = np.repeat(np.arange(n_shows), n_ep)
    ep_no = np.arange(n_episodes) - ep_first[ep_show] + 1
    episodes = [
        f"Ep. {k}: {t}" for k, t in zip(ep_no, nm.track_names(rng, n_episodes), strict=True)
    ]
    episode_ms = rng.integers(15, 95, n_episodes) * 60_000

    books = nm.book_names(rng, n_books)
    return Catalog(
        artists=pa.array(artists, pa.string()),
        artist_weight=weight,
        artist_genres=pa.array(artist_genres.tolist(), pa.string()),
        artist_first_track=first,
        artist_n_tracks=n_tr,
        tracks=pa.array(track_titles, pa.string()),
        track_artist=track_artist,
        track_album=track_album,
        track_ms=track_ms,
        track_uri=pa.array(np.char.add("spotify:track:", spotify_ids(rng, n_tracks)).tolist()),
        albums=pa.array(nm.album_names(rng, n_albums), pa.string()),
        album_year=album_year,
        shows=pa.array(shows, pa.string()),
        show_weight=zipf_weights(rng, n_shows, 1.1),
        show_first_episode=ep_first,
        show_n_episodes=n_ep,
        episodes=pa.array(episodes, pa.string()),
        episode_ms=episode_ms.astype(np.int64),
        episode_uri=pa.array(
            np.char.add("spotify:episode:", spotify_ids(rng, n_episodes)).tolist()
        ),
        books=pa.array(books, pa.string()),
        book_n_chapters=rng.integers(12, 40, n_books),
        book_uri=pa.array(np.char.add("spotify:show:", spotify_ids(rng, n_books)).tolist()),
    )
