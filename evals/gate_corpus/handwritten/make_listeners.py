"""Build a hand-written split's listeners.jsonl: synthetic listeners through the project's CLI.

    .venv/bin/python evals/gate_corpus/handwritten/make_listeners.py SPLIT [WORKDIR]

SPLIT is `dev3`, `dev4` or `dev5` (`SPLITS` below): two demo-data runs each (seeds and salts
of the split's own), ingest with profiles, stats --top-k 10; listeners kept only when eligible,
with music and interesting days; then three copies whose music names (artists, tracks, albums)
are renamed one-to-one into names of other scripts (dev3: Thai, Arabic, Cyrillic; dev4: Hebrew,
Devanagari, Japanese; dev5: Greek, Korean, Georgian), everywhere they occur. Every line validates as a UserYear.
Deterministic: the same seeds and salts give the same listeners. Adapted from dev2's builder
(copied, not imported, so that split stays independent).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

CORPUS = Path(__file__).resolve().parents[1]
WRAPPED = str(Path(sys.executable).with_name("wrapped"))


class Script(NamedTuple):
    """How invented names of one script are made."""

    parts: list[str]  # syllables, or whole words (`words`)
    sep: str  # between the parts of a word
    wordsep: str  # between the words of a name
    suffix: str  # the copy's user id ends with it
    words: bool = False  # parts are whole words: one or two per word, else two or three
    capitalize: bool = False


class Split(NamedTuple):
    runs: list[tuple[int, int, int, str]]  # (seed, listeners, year, salt)
    scripts: dict[str, Script]
    seed: int  # of the renaming


SPLITS = {
    "dev3": Split(
        [(4242, 9, 2024, "dev3-osprey-salt"), (7070, 8, 2025, "dev3-wren-salt")],
        {
            "th": Script("กา มะ ลี สุ นา ทอง ฟ้า ดาว ใจ รัก ฝน น้ำ ลม แสง พร ชัย ศรี บุญ วัน คืน".split(),
                         "", " ", "t01"),
            "ar": Script("نور قمر سماء ليل بحر ريح ورد شمس نجم حلم صوت غيم مطر فجر درب نهر".split(),
                         " ", " ", "a02", words=True),
            "ru": Script("ла ми ро ва ся ни ко ту зе бо ры да лё жу ще фи го ну".split(), "", " ",
                         "c03", capitalize=True),
        },
        4242,
    ),
    "dev4": Split(
        [(5151, 8, 2024, "dev4-heron-salt"), (8383, 7, 2025, "dev4-lynx-salt")],
        {
            "he": Script("אור ים לילה שיר רוח גשם כוכב שמש ענן דרך נהר פרח חלום קול שקט אש".split(),
                         " ", " ", "h01", words=True),
            "hi": Script("रा मा नी सु का ली दे वी सा गर ता रा चं द्र मे घ".split(), "", " ", "d02"),
            "ja": Script("サ ク ラ ミ ソ ラ ハ ナ ツ キ ヨ ル カ ゼ ト モ".split(), "", "・", "j03"),
        },
        5151,
    ),
    "dev5": Split(
        [(6262, 8, 2024, "dev5-otter-salt"), (9494, 7, 2025, "dev5-finch-salt")],
        {
            "el": Script("κα λη μέ ρα θά λασ σα νύ χτα φως ή λι ος βρο χή αυ γή".split(), "", " ",
                         "g01", capitalize=True),
            "ko": Script("하 늘 바 다 별 빛 노 래 달 꿈 비 바 람 꽃 밤 새".split(), "", " ", "k02"),
            "ka": Script("მზე ცა ზღვა ღამე ვარსკვლავი წვიმა ქარი ყვავილი სიმღერა მთა ნისლი".split(),
                         " ", " ", "e03", words=True),
        },
        6262,
    ),
}  # fmt: skip


def run(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([WRAPPED, *args], check=True, env=env, stdout=subprocess.DEVNULL)


def build_runs(work: Path, runs: list[tuple[int, int, int, str]]) -> list[dict]:
    years: list[dict] = []
    for seed, n, year, salt in runs:
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


def invent(script: Script, rng: random.Random, used: set[str]) -> str:
    while True:
        words = rng.choice([1, 2, 2, 3])
        parts = []
        for _ in range(words):
            k = rng.randint(1, 2) if script.words else rng.randint(2, 3)
            word = script.sep.join(rng.choice(script.parts) for _ in range(k))
            parts.append(word.capitalize() if script.capitalize else word)
        name = script.wordsep.join(parts)
        if name not in used:
            used.add(name)
            return name


def rename(d: dict, code: str, script: Script, seed: int) -> dict:
    rng = random.Random(f"{seed}-{code}")
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
    out["user_id"] = d["user_id"][:-3] + script.suffix
    left = [
        e["by"]
        for day in out["days"]
        for e in day["log"]
        if e["kind"] == "track" and e["by"] in mapping
    ] + [r["name"] for r in out["top_artists"] if r["name"] in mapping]
    if left:
        raise SystemExit(f"names left after renaming into {code}: {left[:5]}")
    return out


def main() -> None:
    from wrapped.stats.model import UserYear

    if len(sys.argv) < 2 or sys.argv[1] not in SPLITS:
        sys.exit(f"usage: make_listeners.py SPLIT [WORKDIR]   (SPLIT: {', '.join(SPLITS)})")
    name, split = sys.argv[1], SPLITS[sys.argv[1]]
    work = Path(sys.argv[2] if len(sys.argv) > 2 else f"/tmp/gate-{name}-build")
    years = build_runs(work, split.runs)
    music = [d for d in years if d["totals"]["music"]["plays"] > 0 and d["top_artists"]]
    copies = [
        rename(src, code, script, split.seed)
        for (code, script), src in zip(split.scripts.items(), music[2::4], strict=False)
    ]
    lines = []
    for d in music + copies:
        uy = UserYear.model_validate(d)
        lines.append(uy.model_dump_json())
    out = CORPUS / name / "listeners.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} listeners ({len(copies)} renamed) -> {out}")


if __name__ == "__main__":
    main()
