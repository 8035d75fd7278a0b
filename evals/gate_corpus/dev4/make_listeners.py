"""Build dev4/listeners.jsonl: synthetic listeners through the project's own CLI.

    .venv/bin/python evals/gate_corpus/dev4/make_listeners.py [WORKDIR]

Two demo-data runs (seeds 5151 and 8383, salts of this split's own), ingest with profiles,
stats --top-k 10; listeners kept only when eligible, with music and interesting days; then
three copies whose music names (artists, tracks, albums) are renamed one-to-one into Hebrew,
Devanagari and Japanese names, everywhere they occur. Every line validates as a UserYear.
Deterministic: the same seeds and salts give the same listeners. Adapted from dev3's builder
(copied, not imported, so the splits stay independent).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRAPPED = str(Path(sys.executable).with_name("wrapped"))
RUNS = [  # (seed, listeners, year, salt)
    (5151, 8, 2024, "dev4-heron-salt"),
    (8383, 7, 2025, "dev4-lynx-salt"),
]
#: syllables (Devanagari, Japanese katakana) or whole words (Hebrew) the invented names are made of
SCRIPTS = {
    "he": "אור ים לילה שיר רוח גשם כוכב שמש ענן דרך נהר פרח חלום קול שקט אש".split(),
    "hi": "रा मा नी सु का ली दे वी सा गर ता रा चं द्र मे घ".split(),
    "ja": "サ ク ラ ミ ソ ラ ハ ナ ツ キ ヨ ル カ ゼ ト モ".split(),
}
SEP = {"he": " ", "hi": "", "ja": ""}
WORDSEP = {"he": " ", "hi": " ", "ja": "・"}
SUFFIX = {"he": "h01", "hi": "d02", "ja": "j03"}


def run(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([WRAPPED, *args], check=True, env=env, stdout=subprocess.DEVNULL)


def build_runs(work: Path) -> list[dict]:
    years: list[dict] = []
    for seed, n, year, salt in RUNS:
        base = work / f"s{seed}"
        env = {**os.environ, "WRAPPED_SALT": salt}
        run("demo-data", "--out", str(base / "demo"), "--seed", str(seed),
            "--listeners", str(n), "--year", str(year), env=env)  # fmt: skip
        run("ingest", str(base / "demo"), "--out", str(base / "ingest"), "--profiles",
            str(base / "demo" / "profiles.csv"), "--no-progress", env=env)  # fmt: skip
        run("stats", str(base / "ingest"), "--out", str(base / "stats"), "--year", str(year),
            "--top-k", "10", env=env)  # fmt: skip
        for p in sorted((base / "stats").glob("*.json")):
            if p.name == "summary.json":
                continue
            d = json.loads(p.read_text(encoding="utf-8"))
            if d.get("eligible") and d["top_artists"] and d["days"]:
                years.append(d)
    return years


def music_names(d: dict) -> list[str]:
    names: set[str] = set()
    for key in ("top_artists", "top_artists_by_plays"):
        names.update(r["name"] for r in d.get(key, []))
    for key in ("top_tracks", "top_tracks_by_plays", "top_albums"):
        for r in d.get(key, []):
            names.add(r["name"])
            if r.get("by"):
                names.add(r["by"])
    for m in d["months"]:
        if m.get("top_artist"):
            names.add(m["top_artist"])
    names.update(p["artist"] for p in d["peak_months"])
    for k in ("streak", "artist_streak"):
        if d[k].get("artist"):
            names.add(d[k]["artist"])
    for k in ("repeat_track", "repeat_artist"):
        if d["habits"].get(k):
            names.add(d["habits"][k])
    if d["discovery"].get("top_new_artist"):
        names.add(d["discovery"]["top_new_artist"])
    for day in d["days"]:
        for e in day["log"]:
            if e["kind"] == "track":
                names.add(e["title"])
                if e.get("by"):
                    names.add(e["by"])
                if e.get("album"):
                    names.add(e["album"])
    return sorted(names)


def invent(script: str, rng: random.Random, used: set[str]) -> str:
    while True:
        words = rng.choice([1, 2, 2, 3])
        parts = []
        for _ in range(words):
            k = rng.randint(1, 2) if script == "he" else rng.randint(2, 3)
            word = SEP[script].join(rng.choice(SCRIPTS[script]) for _ in range(k))
            parts.append(word)
        name = WORDSEP[script].join(parts)
        if name not in used:
            used.add(name)
            return name


def rename(d: dict, script: str, seed: int) -> dict:
    rng = random.Random(f"{seed}-{script}")
    used: set[str] = set()
    mapping = {n: invent(script, rng, used) for n in music_names(d)}
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(mapping, key=len, reverse=True))
    )

    def walk(x, key="", free=False):
        if isinstance(x, dict):
            return {k: walk(v, k, free or k == "facts") for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v, key, free) for v in x]
        if isinstance(x, str):
            if x in mapping and key not in ("genre", "category", "kind"):
                return mapping[x]
            if free or key in ("headline", "explanation"):
                return pattern.sub(lambda m: mapping[m.group(0)], x)
        return x

    out = walk(d)
    out["user_id"] = d["user_id"][:-3] + SUFFIX[script]
    left = [
        e["by"]
        for day in out["days"]
        for e in day["log"]
        if e["kind"] == "track" and e["by"] in mapping
    ] + [r["name"] for r in out["top_artists"] if r["name"] in mapping]
    if left:
        raise SystemExit(f"names left after renaming into {script}: {left[:5]}")
    return out


def main() -> None:
    from wrapped.stats.model import UserYear

    work = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/gate-dev4-build")
    years = build_runs(work)
    music = [d for d in years if d["totals"]["music"]["plays"] > 0 and d["top_artists"]]
    copies = [rename(src, script, 5151) for script, src in zip(SCRIPTS, music[2::4], strict=False)]
    lines = []
    for d in music + copies:
        uy = UserYear.model_validate(d)
        lines.append(uy.model_dump_json())
    (HERE / "listeners.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} listeners ({len(copies)} renamed) -> {HERE / 'listeners.jsonl'}")


if __name__ == "__main__":
    main()
