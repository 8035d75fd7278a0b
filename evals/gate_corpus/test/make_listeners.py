"""Build `listeners.jsonl` (and `plays.json`) for the held-out `test` split of the gate corpus.

Everything here is synthetic: `wrapped demo-data` with seeds the bundled sample does not use,
through `wrapped ingest` + `wrapped stats --top-k 10`, pseudonymized with salts of our own. Four
extra listeners are copies of demo listeners whose music artists, tracks and albums are renamed,
consistently and everywhere (top lists, months, streaks, habits, day facts, day logs, headlines),
into Vietnamese, Japanese, Hebrew and Devanagari names, so the corpus has non-Latin names.

`plays.json` holds, per listener, music plays per track and per artist in the window (local
time), recomputed from the ingested events and checked against the plays in every top-list row:
stories that say "your most-played track" or "you played X 40 times" are checked against it.

Run (from the repo root, with the project's venv active; about a minute):

    python evals/gate_corpus/test/make_listeners.py /tmp/gate-test-build
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq

from wrapped.stats.model import UserYear

HERE = Path(__file__).resolve().parent
RUNS = [  # (salt, seed, listeners, year)
    ("gate-test-split-a", 2027, 14, 2024),
    ("gate-test-split-b", 5150, 10, 2025),
]
#: (source listener, script) for the renamed copies
COPIES = [
    ("u_bc7f0ba7ea149036", "ja"),
    ("u_09c30c5068e2bedb", "hi"),
    ("u_15d070cc703eff84", "vi"),
    ("u_2943591ffa660aee", "he"),
]
WORDS = {
    "ja": (["夜明け", "月光", "桜", "風鈴", "海辺", "星屑", "青い", "東京", "夢", "雨音", "花火",
            "蛍", "白い", "遠い", "静かな", "約束", "ひかり", "さくら", "かぜ", "ゆめ", "線香",
            "銀河", "夏草", "雪国", "灯台"],
           ["の歌", "ロード", "少年", "ガールズ", "楽団", "ステーション", "日記", "物語", "", ""]),
    "hi": (["रात", "चाँद", "सपना", "बारिश", "हवा", "सूरज", "समंदर", "दिल", "गीत", "शहर",
            "तारे", "धूप", "नदी", "पहाड़", "सुबह", "शाम", "बादल", "रास्ता", "खिड़की", "फूल",
            "दरिया", "मौसम", "आसमान", "जुगनू", "कहानी"],
           [" बैंड", " की धुन", " एक्सप्रेस", " के गाने", "", "", " सेशन", " कलेक्टिव"]),
    "vi": (["Mùa Thu", "Hà Nội", "Sông Hương", "Biển Đêm", "Trăng Khuyết", "Nắng Sớm", "Giấc Mơ",
            "Phố Cổ", "Cỏ Úa", "Hoa Sữa", "Gió Lào", "Mưa Ngâu", "Đồng Lúa", "Chiều Tím",
            "Sài Gòn", "Bến Xưa", "Lá Vàng", "Đà Lạt", "Thương Nhớ", "Cầu Tre", "Ngõ Nhỏ",
            "Mây Trắng", "Hồ Tây", "Núi Rừng", "Đèn Lồng"],
           ["", "", " Band", " và Bạn Bè", " Quartet", " Ca", " Khúc"]),
    "he": (["לילה", "ים", "אור", "שמש", "חלום", "רוח", "גשם", "כוכב", "עיר", "שיר", "מדבר",
            "נהר", "בוקר", "ערב", "ענן", "דרך", "חלון", "פרח", "ירח", "גן", "הרים", "גלים",
            "שקיעה", "זריחה", "מסע"],
           ["", "", " להקה", " ביחד", " של תל אביב", " ירושלים", " הצפון"]),
}
JOIN = {"ja": "", "hi": " ", "vi": " ", "he": " "}
#: fields whose string values are music names (artist, track or album), wherever they sit
NAME_KEYS = {"name", "by", "title", "album", "artist", "top_artist", "top_track",
             "top_track_artist", "top_new_artist", "year_top_artist", "repeat_track",
             "repeat_artist"}
#: lists that hold other kinds of names (genres, shows, episodes) and are left alone
SKIP_LISTS = {"top_genres", "top_podcasts", "top_episodes"}
TEXT_KEYS = {"headline", "explanation"}


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def build(work: Path) -> list[tuple[Path, Path]]:
    """demo-data -> ingest -> stats for every run; returns (stats dir, ingest dir) pairs."""
    out = []
    for salt, seed, n, year in RUNS:
        env = {**os.environ, "WRAPPED_SALT": salt}
        demo, ing, st = work / f"demo{seed}", work / f"ing{seed}", work / f"st{seed}"
        if not st.exists():
            run(["wrapped", "demo-data", "--out", str(demo), "--seed", str(seed),
                 "--listeners", str(n), "--year", str(year)], env)
            run(["wrapped", "ingest", str(demo), "--out", str(ing), "--profiles",
                 str(demo / "profiles.csv"), "--no-progress"], env)
            run(["wrapped", "stats", str(ing), "--out", str(st), "--top-k", "10"], env)
        out.append((st, ing))
    return out


def plays_of(y: UserYear, events: list[dict]) -> dict[str, dict[str, int]]:
    """Music plays per track ("title — artist") and per artist in the listener's local window."""
    tz = ZoneInfo(y.timezone)
    tracks: Counter[str] = Counter()
    artists: Counter[str] = Counter()
    for e in events:
        if e["kind"] != "track":
            continue
        d: date = e["ts"].astimezone(tz).date()
        if y.window.start <= d <= y.window.end:
            tracks[f"{e['track']}\u241f{e['artist']}"] += 1
            artists[e["artist"]] += 1
    for row in y.top_artists:
        assert artists[row.name] == row.plays, (y.user_id, row.name, artists[row.name], row.plays)
    for row in y.top_tracks:
        key = f"{row.name}\u241f{row.by}"
        assert tracks[key] == row.plays, (y.user_id, key, tracks[key], row.plays)
    return {"tracks": dict(tracks.most_common()), "artists": dict(artists.most_common())}


def music_names(y: dict) -> set[str]:
    """Every music artist, track and album name in a UserYear (not genres, shows, episodes)."""
    names: set[str] = set()
    for key in ("top_artists", "top_tracks", "top_albums"):
        for row in y[key]:
            names.add(row["name"])
            if row["by"]:
                names.add(row["by"])
    for d in y["days"]:
        for e in d["log"]:
            if e["kind"] == "track":
                names.update(n for n in (e["title"], e["by"], e["album"]) if n)
        for k, v in d["facts"].items():
            if k in NAME_KEYS and isinstance(v, str):
                names.add(v)
    for m in y["months"]:
        if m["top_artist"]:
            names.add(m["top_artist"])
    names.update(p["artist"] for p in y["peak_months"])
    for k in ("streak", "artist_streak"):
        if y[k]["artist"]:
            names.add(y[k]["artist"])
    for k in ("repeat_track", "repeat_artist"):
        if y["habits"][k]:
            names.add(y["habits"][k])
    if y["discovery"]["top_new_artist"]:
        names.add(y["discovery"]["top_new_artist"])
    return names


def name_map(names: set[str], script: str, extra: set[str]) -> dict[str, str]:
    """A one-to-one, deterministic renaming of `names` into the script's words."""
    rng = random.Random(f"rename-{script}")
    heads, tails = WORDS[script]
    used: set[str] = set()
    out = {}
    for n in sorted(names | extra):
        while True:
            parts = rng.sample(heads, rng.choice((1, 2, 2, 3)))
            new = JOIN[script].join(parts) + rng.choice(tails)
            if new not in used:
                break
        used.add(new)
        out[n] = new
    return out


def rename(node, mapping: dict[str, str], pattern: re.Pattern, key: str | None = None):
    if isinstance(node, dict):
        if node.get("kind") == "episode":  # a podcast log entry: its names stay
            return node
        return {k: (v if k in SKIP_LISTS else rename(v, mapping, pattern, k))
                for k, v in node.items()}
    if isinstance(node, list):
        return [rename(v, mapping, pattern, key) for v in node]
    if isinstance(node, str):
        if key in NAME_KEYS and node in mapping:
            return mapping[node]
        if key in TEXT_KEYS:
            return pattern.sub(lambda m: mapping[m.group(0)], node)
    return node


def main(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    years: dict[str, UserYear] = {}
    plays: dict[str, dict[str, dict[str, int]]] = {}
    for st, ing in build(work):
        table = pq.read_table(ing / "events.parquet").to_pylist()
        by_user: dict[str, list[dict]] = {}
        for e in table:
            by_user.setdefault(e["user_id"], []).append(e)
        for f in sorted(st.glob("u_*.json")):
            y = UserYear.model_validate_json(f.read_text())
            if not y.eligible or not y.top_artists:
                continue  # podcast-only listeners: no music to write about
            years[y.user_id] = y
            plays[y.user_id] = plays_of(y, by_user[y.user_id])
    for src, script in COPIES:
        raw = years[src].model_dump(mode="json")
        p = plays[src]
        extra = set(p["artists"]) | {k.split("\u241f")[0] for k in p["tracks"]}
        mapping = name_map(music_names(raw), script, extra)
        keys = sorted(mapping, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(k) for k in keys))
        new = rename(raw, mapping, pattern)
        new["user_id"] = "u_" + hashlib.sha256(f"{src}-{script}".encode()).hexdigest()[:16]
        y = UserYear.model_validate(new)
        years[y.user_id] = y
        plays[y.user_id] = {
            "tracks": {"\u241f".join(mapping[x] for x in k.split("\u241f")): v
                       for k, v in p["tracks"].items()},
            "artists": {mapping[k]: v for k, v in p["artists"].items()},
        }
        left = music_names(raw) & {s for s in json.dumps(new, ensure_ascii=False).split('"')}
        assert not left, (script, sorted(left)[:5])
    with open(HERE / "listeners.jsonl", "w", encoding="utf-8") as fh:
        for y in years.values():
            fh.write(y.model_dump_json() + "\n")
    (HERE / "plays.json").write_text(json.dumps(plays, ensure_ascii=False, indent=0) + "\n")
    print(f"{len(years)} listeners -> {HERE / 'listeners.jsonl'}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/gate-test-build"))
