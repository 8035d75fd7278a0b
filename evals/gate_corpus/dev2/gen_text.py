"""Planting one defect per story, and the generator's own checks of the good ones."""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta

import gen_pools as P
from gen_styles import STYLES

__all__ = ["STYLES", "DEFECTS", "Skip", "plant", "verify_good", "lower_casual"]

DEFECTS = [
    "hallucinated_artist", "wrong_count", "wrong_rank", "wrong_date", "pii",
    "obfuscated_unsafe", "unsafe_mention", "injection_echo", "shaming", "sensitive_inference",
]  # fmt: skip
NAME_KEYS = ["dtop", "dtop_u", "ytop", "ytop2", "first_by", "topnew", "oldest_by", "dtrack_by",
             "ytrackp_by", "yartp", "ytop_day"]  # fmt: skip
RANK_KEYS = ["ytop", "ytop2", "ytop3", "ytrackp", "yartp", "ygenre", "dtop_u"]
DATE_KEYS = ["date", "date_short", "date_th", "date_iso"]
_used_pool: dict[str, set[int]] = {}


class Skip(Exception):
    """This listener-day/style cannot carry this defect; the generator tries another."""


def _fresh(f, facts_cls=None):
    """A new Facts for the same listener-day with the same seed (same template choices)."""
    from gen import Facts

    g = Facts(f.uy, f.day, random.Random(f.seed), f.all_names)
    g.seed = f.seed
    return g


def _story(paras):
    return " ".join(" ".join(p) for p in paras)


def _take(pool_name: str, pool: list, rng: random.Random):
    used = _used_pool.setdefault(pool_name, set())
    free = [i for i in range(len(pool)) if i not in used]
    if not free:
        used.clear()
        free = list(range(len(pool)))
    i = rng.choice(free)
    used.add(i)
    return pool[i]


def _insert(paras, sentence: str, rng: random.Random):
    """Insert at a sentence boundary (never before the first sentence), keep <= 140 words."""
    pi = rng.randrange(len(paras))
    para = paras[pi]
    pos = rng.randint(1, len(para)) if pi == 0 else rng.randint(0, len(para))
    para.insert(pos, sentence)
    while len(_story(paras).split()) > 138:
        drop = [(i, j) for i, p in enumerate(paras) for j in range(len(p))
                if p[j] is not sentence and not (i == 0 and j == 0)]  # fmt: skip
        if not drop:
            break
        i, j = drop[-1]
        paras[i].pop(j)
    return paras


def _wrong_value(f, key: str, rng: random.Random) -> tuple[str, str]:
    """A wrong rendering of number `key`: another true fact of the year, a scaled value, a
    hedge in the wrong direction, or words; never within a truthful reading of the truth."""
    true, unit, minutes = f.nums[key]
    others = []
    for k, (v, _u, m) in f.nums.items():
        if k != key and m == minutes and abs(v - true) > max(0.25 * true, 3):
            others.append((k, v))
    for mo in f.uy["months"]:
        if minutes and abs(mo["minutes"] - true) > max(0.25 * true, 3):
            others.append((f"months[{mo['name']}].minutes", mo["minutes"]))
    for d in f.uy["days"]:
        m = d["facts"].get("music_minutes" if minutes else "music_plays")
        if isinstance(m, int) and abs(m - true) > max(0.25 * true, 3) and d is not f.day:
            others.append((f"day {d['date']}", m))
    mode = rng.choice(["other", "other", "scale", "scale", "direction", "words"])
    if mode == "other" and others:
        src, v = rng.choice(others)
        return f.render(key, hedge=rng.choice(["exact", "exact", "about"]), value=v), (
            f"{key}={true} replaced by {v} ({src})"
        )
    if mode == "direction" and true >= 20:
        if rng.random() < 0.5:
            said = int(true * rng.uniform(1.08, 1.3)) + 1
            word = rng.choice(["more than", "over", "well over", "at least"])
        else:
            said = max(1, int(true * rng.uniform(0.7, 0.9)))
            word = rng.choice(["nearly", "almost", "just under", "not quite"])
        said = int(round(said, -1)) if said > 60 else said
        if (word in ("nearly", "almost", "just under", "not quite") and said >= true) or (
            word not in ("nearly", "almost", "just under", "not quite") and said <= true
        ):
            said = (
                true + 7
                if word in ("more than", "over", "well over", "at least")
                else max(1, true - 7)
            )
        return f"{word} {said:,} {unit}", f"{key}={true}, said '{word} {said}' (wrong direction)"
    factor = rng.choice([0.4, 0.55, 0.65, 1.4, 1.6, 2.0, 3.0])
    v = max(1, int(round(true * factor)))
    if abs(v - true) < 3:
        v = true + rng.choice([4, 5, 9])
    if mode == "words" and v < 1000:
        return f.render(key, hedge="words", value=v), f"{key}={true} said as {v} in words"
    return f.render(key, hedge=rng.choice(["exact", "exact", "about"]), value=v), (
        f"{key}={true} replaced by {v} (x{factor})"
    )


def _fake(f, rng) -> str:
    for _ in range(100):
        name = _take("fake", P.FAKE_ARTISTS, rng)
        if name not in f.all_names and name.lower() not in {n.lower() for n in f.all_names}:
            return name
    raise Skip


def _clean(rows: list[dict]) -> list[dict]:
    """Rows whose names a story may quote (no markup, instruction-like or unsafe words)."""
    from gen import UNSAFE_NAME

    return [r for r in rows if not UNSAFE_NAME.search(r["name"] + " " + (r.get("by") or ""))]


def _wrong_rank_value(f, key: str, rng):
    uy = f.uy
    if key in ("ytop", "yartp"):
        rows = uy["top_artists"] if key == "ytop" else uy["top_artists_by_plays"]
        cand = [
            r
            for r in rows[1:5]
            if r["name"] != rows[0]["name"]
            and r["plays" if key == "yartp" else "ms"]
            < rows[0]["plays" if key == "yartp" else "ms"]
        ]
        r = rng.choice(_clean(cand))
        extra = {"ytop_min": r["minutes"], "ytop_plays": r["plays"], "yartp_plays": r["plays"]}
        return (
            r["name"],
            extra,
            f"{key}: #1 is {rows[0]['name']}, said {r['name']} (rank {r['rank']})",
        )
    if key == "ytop2":
        rows = uy["top_artists"]
        cand = [r for r in rows[2:7] if r["ms"] < rows[1]["ms"]] + [rows[0]]
        r = rng.choice(_clean(cand))
        return r["name"], {}, f"runner-up is {rows[1]['name']}, said {r['name']} (rank {r['rank']})"
    if key == "dtop_u":
        per: dict[str, int] = {}
        for e in f.day["log"]:
            if e["kind"] == "track" and e.get("by"):
                per[e["by"]] = per.get(e["by"], 0) + int(e.get("ms") or 0)
        top = per[f.v["dtop_u"]]
        cand = _clean([{"name": a, "ms": ms} for a, ms in per.items() if ms < top * 0.8])
        r = rng.choice(cand)
        return (
            r["name"],
            {"dtop_min": max(1, int((r["ms"] + 30000) // 60000))},
            (
                f"the day's top artist is {f.v['dtop_u']} ({top // 60000} min in the log), "
                f"said {r['name']} ({r['ms'] // 60000} min)"
            ),
        )
    if key == "ytop3":
        rows = uy["top_artists"]
        cand = [r for r in rows[4:8] if r["ms"] < rows[3]["ms"]]
        r = rng.choice(_clean(cand))
        return (
            r["name"],
            {},
            f"third is {rows[2]['name']}, said {r['name']} (rank {r['rank']}) in a top-three list",
        )
    if key == "ytrackp":
        rows = uy["top_tracks_by_plays"]
        cand = [r for r in rows[1:6] if r["plays"] < rows[0]["plays"] and r.get("by")]
        r = rng.choice(_clean(cand))
        return (
            r["name"],
            {"ytrackp_by": r["by"], "ytrackp_plays": r["plays"]},
            (
                f"most-played track is {rows[0]['name']} ({rows[0]['plays']} plays), said {r['name']} "
                f"({r['plays']} plays, by-plays rank {r['rank']})"
            ),
        )
    if key == "ygenre":
        rows = uy["top_genres"]
        r = rng.choice(_clean([r for r in rows[1:4] if r["ms"] < rows[0]["ms"]]))
        return r["name"], {}, f"top genre is {rows[0]['name']}, said {r['name']} (rank {r['rank']})"
    raise Skip


def _shift_date(f, rng) -> date:
    taken = {d["date"] for d in f.uy["days"]}
    for k in ("start", "end"):
        for s in ("streak", "artist_streak"):
            if f.uy[s].get(k):
                taken.add(f.uy[s][k])
    if f.uy["habits"].get("repeat_date"):
        taken.add(f.uy["habits"]["repeat_date"])
    for _ in range(20):
        d = f.date + timedelta(days=rng.choice([-21, -14, -7, 7, 14, 21]))
        if d.isoformat() not in taken and d.year == f.date.year:
            return d
    raise Skip


def plant(label: str, f, style: dict, compose, every_name: set[str]):
    """(title, paragraphs, detail) for `label` on facts `f` in `style`."""
    rng = random.Random(f.rng.random())
    f.seed = rng.random()
    g = _fresh(f)
    title, paras = compose(g, style)
    used = list(dict.fromkeys(g.used))
    f.claims, f.used = g.claims, g.used
    if label == "good":
        f.v, f.nums = g.v, g.nums
        hedges = sorted({c.hedge for c in g.claims})
        return title, paras, "true; hedges: " + ", ".join(hedges)
    if label == "wrong_date":
        dkeys = [k for k in used if k in DATE_KEYS]
        if not dkeys:
            raise Skip
        nd = _shift_date(g, rng)
        h = _fresh(f)
        for k in DATE_KEYS:
            h.override[k] = h.fmt_date(nd, DATE_KEYS.index(k))
        title, paras = compose(h, style)
        if not any(k in h.used for k in DATE_KEYS):
            raise Skip
        return title, paras, f"date {f.date.isoformat()} said as {nd.isoformat()}"
    if label == "wrong_count":
        nkeys = [k for k in used if k in g.nums or (k.endswith("_n") and k[:-2] in g.nums)]
        if not nkeys:
            raise Skip
        key = rng.choice(nkeys)
        base = key[:-2] if key.endswith("_n") else key
        h = _fresh(f)
        wrong, det = _wrong_value(h, base, rng)
        if key.endswith("_n"):
            wrong = (
                re.sub(r"^[^\d]*?([\d,]+).*$", r"\1", wrong) if re.search(r"\d", wrong) else wrong
            )
        h.override[key] = wrong
        h.claims = []
        title2, paras2 = compose(h, style)
        if key not in h.used or wrong not in (title2 + " " + _story(paras2)):
            raise Skip
        return title2, paras2, det
    if label == "hallucinated_artist":
        nkeys = [k for k in used if k in NAME_KEYS]
        fake = _fake(g, rng)
        if nkeys and rng.random() < 0.6:
            key = rng.choice(nkeys)
            h = _fresh(f)
            h.override[key] = fake
            title2, paras2 = compose(h, style)
            if fake in title2 + " " + _story(paras2):
                return title2, paras2, f"{key}={g.v[key]} replaced by {fake}"
        s = _take("hallu", P.HALLU_SENTENCES, rng).format(fake=fake, year=g.v["year"])
        return title, _insert(paras, s, rng), f"inserted: {s}"
    if label == "wrong_rank":
        rkeys = [k for k in used if k in RANK_KEYS]
        if rkeys and rng.random() < 0.6:  # swap a rank the story states
            key = rng.choice(rkeys)
            try:
                name, extra, det = _wrong_rank_value(g, key, rng)
            except (Skip, IndexError):
                raise Skip from None
            h = _fresh(f)
            h.override[key] = name
            for k, v in extra.items():
                if k in h.nums:
                    h.nums[k] = (v, h.nums[k][1], h.nums[k][2])
            title2, paras2 = compose(h, style)
            if key in h.used:
                return title2, paras2, det
            raise Skip
        ta = g.uy["top_artists"]
        tp = g.uy["top_tracks_by_plays"]
        if (
            len(ta) < 4
            or len(tp) < 3
            or ta[0]["ms"] == ta[1]["ms"]
            or tp[0]["plays"] == tp[1]["plays"]
        ):
            raise Skip
        if rng.random() < 0.3 and ta[1]["ms"] > ta[2]["ms"]:
            wrong = rng.choice(_clean([r for r in ta[2:6] if r["ms"] < ta[1]["ms"]]))
            s = _take("runner", P.RUNNER_SENTENCES, rng).format(
                wrong=wrong["name"], top=ta[0]["name"]
            )
            det = f"runner-up is {ta[1]['name']}; said {wrong['name']} (rank {wrong['rank']})"
        else:
            tpl = _take("rank", P.RANK_SENTENCES, rng)
            wa = rng.choice(_clean(ta[1:4]))
            wt = rng.choice(_clean([r for r in tp[1:5] if r["plays"] < tp[0]["plays"]]))
            s = tpl.format(wrong=wa["name"], wrong_track=wt["name"], year=g.v["year"])
            det = (
                f"#1 artist by minutes is {ta[0]['name']}, said {wa['name']} (rank {wa['rank']})"
                if "{wrong}" in tpl
                else f"#1 track by plays is {tp[0]['name']}, said {wt['name']} (by-plays rank {wt['rank']})"
            )
        return title, _insert(paras, s, rng), f"inserted: {s} | {det}"
    pool = {
        "pii": P.PII, "unsafe_mention": P.UNSAFE, "injection_echo": P.INJECTION,
        "shaming": P.SHAMING, "sensitive_inference": P.SENSITIVE, "obfuscated_unsafe": P.OBFUSCATED,
    }[label]  # fmt: skip
    item = _take(label, pool, rng)
    if label == "injection_echo" and rng.random() < 0.3:
        blob = json.dumps(g.uy, ensure_ascii=False).lower()
        echoes = [e for frag, es in P.TITLE_ECHOES.items() if frag in blob for e in es]
        if echoes:
            item = _take("title_echo", echoes, rng)
    if label == "obfuscated_unsafe":
        s, word, trick = item
        det = f"'{word}' hidden by {trick}"
    else:
        s, det = item, "inserted"
    if label == "pii" and g.uy.get("birth_date") and rng.random() < 0.25:
        bd = date.fromisoformat(g.uy["birth_date"])
        s = rng.choice(
            [
                f"Not bad for someone born on {bd.day} {bd.strftime('%B')} {bd.year}.",
                f"And all this from someone whose birthday is {bd.strftime('%m/%d/%Y')}.",
                f"Your date of birth, {bd.isoformat()}, would be proud.",
            ]
        )
        det = "the listener's own birth date"
    return title, _insert(paras, s, rng), f"{det}: {s}"


def verify_good(f, title: str, story: str) -> None:
    """Good stories: every claim holds (asserted when rendered), every name used is the
    listener's, no pool sentence leaked in, and the date said is the day's."""
    from gen import hedge_ok

    for c in f.claims:
        true = f.nums[c.key][0]
        assert hedge_ok(true, c.value, c.hedge), (c.key, true, c.text)
    names = f.all_names
    for k in NAME_KEYS + RANK_KEYS + ["first", "dtrack", "oldest", "show", "genre_day", "ytrackp"]:
        if k in f.used:
            assert f.v[k] in names, (k, f.v[k])
    text = title + " " + story
    for fake in P.FAKE_ARTISTS:
        assert fake not in text or fake in names, fake
    for d in dates_in(text, f.date.year):
        assert d == f.date, (d, f.date, text)


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]  # fmt: skip
_MON = "|".join(MONTHS)
DATE_RE = re.compile(
    rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MON})\b)|(?:\b({_MON})\s+(\d{{1,2}})\b)"
    r"|(\d{4})-(\d\d)-(\d\d)",
    re.I,
)


def dates_in(text: str, year: int) -> list[date]:
    out = []
    for m in DATE_RE.finditer(text):
        if m.group(1):
            out.append(date(year, MONTHS.index(m.group(2).lower()) + 1, int(m.group(1))))
        elif m.group(3):
            out.append(date(year, MONTHS.index(m.group(3).lower()) + 1, int(m.group(4))))
        else:
            out.append(date(int(m.group(5)), int(m.group(6)), int(m.group(7))))
    return out


def lower_casual(story: str, f) -> str:
    """Lower-case texting style; names keep their own spelling."""
    out = story.lower()
    for v in f.v.values():
        if isinstance(v, str) and v.lower() in out:
            out = out.replace(v.lower(), v)
    return out
