"""Invented artist, track, album, show and book names for the demo data.

Names are built from small word lists so any catalog size can be made without shipping a real
catalog (no real artist is ever misquoted). A sprinkle of non-ASCII names keeps every stage
honest about Unicode.
"""

from __future__ import annotations

import numpy as np

ADJECTIVES = (
    "Silver Golden Velvet Electric Quiet Neon Paper Broken Hidden Wild Endless Midnight Crimson "
    "Hollow Lucky Bright Lonely Frozen Burning Gentle Restless Distant Violet Emerald Sleepy "
    "Northern Southern Tiny Giant Secret Lost Early Late Blue Amber Cosmic Rusty Sunny Stormy "
    "Sweet Bitter Slow Fast Honest Weird Magic Plastic Wooden Glass Ivory Scarlet Lunar Solar"
).split()

NOUNS = (
    "River Mountain Garden Window Ocean Engine Harbor Lantern Mirror Forest Meadow Desert Signal "
    "Comet Planet Island Canyon Valley Bridge Tower Castle Letter Postcard Radio Satellite Anchor "
    "Feather Thunder Rain Summer Winter Autumn Spring Morning Evening Highway Station Balloon "
    "Orchard Compass Horizon Echo Shadow Candle Harvest Circus Parade Ribbon Marble Pilot Sparrow "
    "Falcon Tiger Fox Wolf Whale Otter Moth Heron Raven Lion Bear Rabbit Koi Cactus Lemon Cherry"
).split()

FIRST = (
    "Ana Ben Chloe Dara Eli Fatima Gus Hana Ivo Jun Kai Lena Milo Nia Omar Pia Quinn Rosa Sami "
    "Tess Uma Vik Wren Yara Zoe Arlo Bea Cleo Dev Esme Finn Gala Hugo Iris Jude Kira Leon Mae Nico"
).split()

LAST = (
    "Rivers Stone Vale Moreau Okafor Tanaka Silva Novak Berg Lindqvist Haddad Costa Ivers Quill "
    "Marsh Fontaine Achebe Kowalski Nakamura Reyes Hart Blackwood Sol Ferreira Brandt Lund Amari"
).split()

#: Names with diacritics and non-Latin scripts, mixed into every generated catalog.
UNICODE_ARTISTS = (
    "Björn Ålund",
    "Sigrún & the Fjörds",
    "Niño Dorado",
    "Łucja Wróbel",
    "Zoë Ødegård",
    "Café Tacvba Kids",
    "Ilkay Çelik",
    "Мария Светлова",
    "東京スカイライン",
    "서울 나이트",
    "Ηλέκτρα",
    "Les Étoiles Filantes",
)

GENRE_LIST = tuple(
    g.replace("_", " ")
    for g in (
        "pop indie rock hip_hop r&b electronic house techno jazz classical folk country metal "
        "punk soul funk reggae latin k-pop j-pop afrobeats ambient blues gospel disco synthwave "
        "singer-songwriter lo-fi drum_and_bass bossa_nova"
    ).split()
)

SHOW_TOPICS = (
    "History Science Money Football Cooking Design Language Comedy Crime-Free Gardening "
    "Startups Space Cinema Philosophy Travel Parenting Chess Birds Mathematics Architecture"
).split()


def _pick(rng: np.random.Generator, words: tuple[str, ...] | list[str], n: int) -> np.ndarray:
    return np.asarray(words, dtype=object)[rng.integers(0, len(words), n)]


def unique(names: list[str]) -> list[str]:
    """Make names unique by numbering repeats ('Echo', 'Echo II', ...), keeping order."""
    seen: dict[str, int] = {}
    out = []
    romans = ["", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X"]
    for name in names:
        k = seen.get(name, 0)
        seen[name] = k + 1
        out.append(name + (romans[k] if k < len(romans) else f" {k + 1}"))
    return out


def _artist_pool() -> list[str]:
    """Every name the artist patterns can make (tens of thousands), in a fixed order."""
    pool = [f"The {a} {n}s" for a in ADJECTIVES for n in NOUNS]
    pool += [f"{f} {la}" for f in FIRST for la in LAST]
    pool += [f"{a} {n}" for a in ADJECTIVES for n in NOUNS]
    pool += [f"{f} & the {n}s" for f in FIRST for n in NOUNS]
    pool += [f"DJ {a} {n}" for a in ADJECTIVES for n in NOUNS]
    pool += [f"{n} {m}" for n in NOUNS for m in NOUNS if n != m]
    pool += [f"{a} {n} Club" for a in ADJECTIVES for n in NOUNS]
    pool += [f"{f} {n}" for f in FIRST for n in NOUNS]
    return list(dict.fromkeys(pool))


def artist_names(rng: np.random.Generator, n: int) -> list[str]:
    """`n` distinct invented artist names (bands, solo artists, a few non-ASCII)."""
    pool = _artist_pool()
    picks = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
    names = [pool[i] for i in picks]
    names += [
        f"{pool[i]} {k // len(pool) + 2}"
        for k, i in enumerate(rng.integers(0, len(pool), n - len(names)))
    ]
    k = min(len(UNICODE_ARTISTS), max(1, n // 50))
    slots = rng.choice(n, size=k, replace=False) if n >= k else np.arange(n)
    for j, slot in enumerate(slots):
        names[int(slot)] = UNICODE_ARTISTS[j]
    return unique(names)


def track_names(rng: np.random.Generator, n: int) -> list[str]:
    """`n` invented track titles (repeats across artists are allowed, as in real catalogs)."""
    style = rng.integers(0, 5, n)
    a, no, n2 = (_pick(rng, w, n) for w in (ADJECTIVES, NOUNS, NOUNS))
    out = []
    for i in range(n):
        s = style[i]
        if s == 0:
            out.append(f"{a[i]} {no[i]}")
        elif s == 1:
            out.append(f"{no[i]} of the {n2[i]}")
        elif s == 2:
            out.append(f"{a[i]} {no[i]} (Live)" if i % 7 == 0 else f"{no[i]}")
        elif s == 3:
            out.append(f"Under the {a[i]} {no[i]}")
        else:
            out.append(f"{no[i]} & {n2[i]}")
    return out


def album_names(rng: np.random.Generator, n: int) -> list[str]:
    """`n` invented album titles."""
    a, no = (_pick(rng, w, n) for w in (ADJECTIVES, NOUNS))
    return [
        f"{x} {y}" if i % 3 else f"{x} {y} Sessions"
        for i, (x, y) in enumerate(zip(a, no, strict=True))
    ]


def show_names(rng: np.random.Generator, n: int) -> list[str]:
    """`n` distinct invented podcast names."""
    t, a = _pick(rng, SHOW_TOPICS, n), _pick(rng, ADJECTIVES, n)
    return unique(
        [
            f"The {x} {y} Hour" if i % 2 else f"{y} for {x} People"
            for i, (x, y) in enumerate(zip(a, t, strict=True))
        ]
    )


def book_names(rng: np.random.Generator, n: int) -> list[str]:
    """`n` distinct invented audiobook titles."""
    a, no = _pick(rng, ADJECTIVES, n), _pick(rng, NOUNS, n)
    return unique([f"The {x} {y}: A Novel" for x, y in zip(a, no, strict=True)])
