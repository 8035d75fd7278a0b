"""Generate dev2/stories.jsonl: LLM-like year-in-review stories, about 40% true, the rest
with one planted defect each.

    python evals/gate_corpus/dev2/gen.py            # deterministic (seed 8128)

Every number a good story states is rendered from a fact through `Facts.num`, which logs the
claim (value, hedge, text) and asserts the hedge holds in its direction; every name comes
from the listener's own data; rank words are used only where the rank is true (by minutes
for "top/favourite", by plays -- `top_*_by_plays`, unique #1 -- for "most-played").
Defects are planted by changing exactly one rendered value or inserting one sentence.
Styles and defect sentences live in gen_text.py. Written by a helper that never read the
gate's rules (see README.md).
"""

from __future__ import annotations

import json
import random
import re
import string
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_text as T  # noqa: E402

SEED = 8128
UNSAFE_NAME = re.compile(
    r"[<>{}\[\]]|ignore|instruction|system|prompt|sex|drug|cocaine|weed|vodka|whisk|beer|wine|"
    r"champagne|murder|kill|gun|blood|drunk|high|porn|tequila|dead",
    re.I,
)
ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def words(n: int, british: bool) -> str:
    """English number words for 0..9999 (the generator's own; no parsing involved)."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        head = ONES[n // 100] + " hundred"
        return head if rest == 0 else head + (" and " if british else " ") + words(rest, british)
    rest = n % 1000
    head = words(n // 1000, british) + " thousand"
    if rest == 0:
        return head
    return head + (" and " if rest < 100 and british else " ") + words(rest, british)


def fmt_int(n: int) -> str:
    return f"{n:,}"


class Claim:
    def __init__(self, key: str, value: float, hedge: str, text: str):
        self.key, self.value, self.hedge, self.text = key, value, hedge, text


def hedge_ok(true: float, said: float, hedge: str) -> bool:
    """The generator's own notion of a truthful hedge (stricter than any reader's)."""
    if hedge in ("exact", "words"):
        return abs(true - said) < 1e-9
    if hedge == "about":
        return abs(true - said) <= max(0.05 * true, 0.5)
    if hedge == "over":
        return said < true <= said * 1.15 + 1
    if hedge == "nearly":
        return said * 0.97 <= true < said
    if hedge == "range":
        return said[0] < true < said[1]
    if hedge == "dozen":
        return abs(true - said) <= 2
    if hedge == "hours":  # hours from minutes, rounded to the nearest half hour
        return abs(true / 60 - said) <= 0.26
    return False


def round_step(v: int) -> int:
    if v < 30:
        return 1
    if v < 150:
        return 5 if v < 60 else 10
    if v < 1500:
        return 50 if v >= 600 else 10
    return 100


class Facts:
    """One listener-day's quotable facts; renders numbers with a hedge and logs the claim."""

    def __init__(self, uy: dict, day: dict, rng: random.Random, all_names: set[str]):
        self.uy, self.day, self.rng = uy, day, rng
        self.claims: list[Claim] = []
        self.used: list[str] = []
        self.estimated = uy["totals"].get("minutes_estimated", 0) > 0
        self.us = uy["locale"] == "en-US"
        self.british = not self.us
        self.hedge_pref = "mixed"
        self.override: dict[str, str] = {}
        f = day["facts"]
        self.v: dict[str, object] = {}
        d = date.fromisoformat(day["date"])
        self.date = d
        self.v["weekday"] = day["weekday"]
        ok = lambda n: isinstance(n, str) and n and not UNSAFE_NAME.search(n)  # noqa: E731
        self.nums: dict[str, tuple[float, str, bool]] = {}  # key -> (value, unit, is_minutes)

        def num(key, value, unit, minutes=False):
            if isinstance(value, (int, float)) and value > 0:
                self.nums[key] = (value, unit, minutes)

        cat = day["category"]
        self.cat = cat
        if cat == "biggest_podcast_day":
            num("dmin", f.get("podcast_minutes"), "minutes of podcasts", True)
            if ok(f.get("top_show")):
                self.v["show"] = f["top_show"]
        else:
            num("dmin", f.get("music_minutes"), "minutes of music", True)
        num("dplays", f.get("music_plays"), "songs")
        num("dartists", f.get("distinct_artists"), "different artists")
        if ok(f.get("top_artist")) and f.get("top_artist_minutes"):
            self.v["dtop"] = f["top_artist"]
            num("dtop_min", f.get("top_artist_minutes"), "minutes", True)
        if (
            ok(f.get("top_track"))
            and ok(f.get("top_track_artist"))
            and f.get("top_track_plays", 0) > 1
        ):
            self.v["dtrack"], self.v["dtrack_by"] = f["top_track"], f["top_track_artist"]
            num("dtrack_plays", f["top_track_plays"], "plays")
        for key, fk in (("first_part", "first_play"), ("last_part", "last_play")):
            if isinstance(f.get(fk), str) and ":" in f[fk]:
                h = int(f[fk].split(":")[0])
                part = (
                    "in the small hours" if h < 5 else "in the morning" if h < 12
                    else "in the afternoon" if h < 17 else "in the evening" if h < 22
                    else "late at night"
                )  # fmt: skip
                self.v[key] = part
        log = day["log"]
        if "dtop" in self.v and day["log_total"] <= len(log):  # whole day logged: check uniqueness
            per: dict[str, int] = {}
            for e in log:
                if e["kind"] == "track" and e.get("by"):
                    per[e["by"]] = per.get(e["by"], 0) + int(e.get("ms") or 0)
            ranked = sorted(per.values(), reverse=True)
            if per.get(self.v["dtop"]) == ranked[0] and (len(ranked) < 2 or ranked[0] > ranked[1]):
                self.v["dtop_u"] = self.v["dtop"]
        if log and log[0]["kind"] == "track" and ok(log[0]["title"]) and ok(log[0].get("by")):
            self.v["first"], self.v["first_by"] = log[0]["title"], log[0]["by"]
        if cat == "biggest_discovery_day":
            num("newart", f.get("new_artists"), "artists you had never played before")
            if ok(f.get("top_new_artist")):
                self.v["topnew"] = f["top_new_artist"]
        if cat == "most_nostalgic_day":
            num("throw_min", f.get("throwback_minutes"), "minutes", True)
            if f.get("throwback_cutoff_year"):
                self.v["cutoff"] = str(f["throwback_cutoff_year"])
            if ok(f.get("oldest_track")) and ok(f.get("oldest_track_artist")):
                self.v["oldest"], self.v["oldest_by"] = f["oldest_track"], f["oldest_track_artist"]
                self.v["oldest_year"] = str(f["oldest_release_year"])
        if cat == "biggest_top_artist_day" and ok(f.get("year_top_artist")):
            self.v["ytop_day"] = f["year_top_artist"]
            num("ytop_day_min", f.get("year_top_artist_minutes"), "minutes", True)
        if cat == "biggest_top_genre_day" and ok(f.get("year_top_genre")):
            self.v["genre_day"] = f["year_top_genre"]
            num("genre_day_min", f.get("year_top_genre_minutes"), "minutes", True)
        t = uy["totals"]
        num("ymin", t["music"]["minutes"], "minutes of music", True)
        num("ydays", t["listening_days"], "days")
        num("yartists", t["distinct_artists"], "artists")
        num("ytracks", t["distinct_tracks"], "different tracks")
        ta = uy["top_artists"]
        if ta and ok(ta[0]["name"]) and (len(ta) < 2 or ta[0]["ms"] > ta[1]["ms"]):
            self.v["ytop"] = ta[0]["name"]
            num("ytop_min", ta[0]["minutes"], "minutes", True)
            num("ytop_plays", ta[0]["plays"], "plays")
        if (
            len(ta) > 2
            and ok(ta[1]["name"])
            and ta[1]["ms"] > ta[2]["ms"]
            and ta[0]["ms"] > ta[1]["ms"]
        ):
            self.v["ytop2"] = ta[1]["name"]
        if (
            len(ta) > 3
            and "ytop2" in self.v
            and ok(ta[2]["name"])
            and ta[1]["ms"] > ta[2]["ms"] > ta[3]["ms"]
        ):
            self.v["ytop3"] = ta[2]["name"]
        tp = uy.get("top_tracks_by_plays") or []
        if (
            len(tp) > 1
            and tp[0]["plays"] > tp[1]["plays"]
            and ok(tp[0]["name"])
            and ok(tp[0]["by"])
        ):
            self.v["ytrackp"], self.v["ytrackp_by"] = tp[0]["name"], tp[0]["by"]
            num("ytrackp_plays", tp[0]["plays"], "plays")
        ap = uy.get("top_artists_by_plays") or []
        if len(ap) > 1 and ap[0]["plays"] > ap[1]["plays"] and ok(ap[0]["name"]):
            self.v["yartp"] = ap[0]["name"]
            num("yartp_plays", ap[0]["plays"], "plays")
        tg = uy["top_genres"]
        if tg and ok(tg[0]["name"]) and (len(tg) < 2 or tg[0]["ms"] > tg[1]["ms"]):
            self.v["ygenre"] = tg[0]["name"]
        if uy["clock"].get("busiest_weekday"):
            self.v["busy"] = uy["clock"]["busiest_weekday"]
        self.v["year"] = str(uy["window"]["year"])
        self.all_names = all_names

    # -- dates ---------------------------------------------------------------------------
    def fmt_date(self, d: date, form: int) -> str:
        wd = d.strftime("%A")
        mon = d.strftime("%B")
        if form == 0:
            return f"{wd}, {mon} {d.day}" if self.us else f"{wd} {d.day} {mon}"
        if form == 1:
            return f"{mon} {d.day}" if self.us else f"{d.day} {mon}"
        if form == 2:
            sfx = (
                "th"
                if 10 <= d.day % 100 <= 20
                else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
            )
            return f"the {d.day}{sfx} of {mon}"
        return d.isoformat()

    # -- numbers ---------------------------------------------------------------------------
    def render(self, key: str, hedge: str | None = None, value: float | None = None) -> str:
        true, unit, minutes = self.nums[key]
        v = true if value is None else value
        rng = self.rng
        if hedge is None:
            opts = ["exact", "exact", "words", "about", "over", "nearly", "range", "dozen"]
            if minutes and v >= 90:
                opts += ["hours"]
            if self.hedge_pref == "exact":
                opts = ["exact", "exact", "words"]
            elif self.hedge_pref == "hedged":
                opts = ["about", "over", "nearly", "about", "range", "dozen"] + (
                    ["hours"] if minutes and v >= 90 else []
                )
            if minutes and self.estimated:
                opts = [o for o in opts if o not in ("exact", "words")] or ["about"]
            if v >= 10000:
                opts = [o for o in opts if o != "words"] or ["exact"]
            hedge = rng.choice(opts)
        text, said = self._say(v, hedge, unit)
        if text is None:  # the hedge has no truthful wording for this value: fall back
            hedge = "about" if (minutes and self.estimated) else "exact"
            text, said = self._say(v, hedge, unit)
            if text is None:
                hedge, (text, said) = "exact", self._say(v, "exact", unit)
        if value is None:
            assert hedge_ok(true, said, hedge), (key, true, said, hedge)
        self.claims.append(Claim(key, said, hedge, text))
        return text

    def _say(self, v: float, hedge: str, unit: str):
        rng = self.rng
        if hedge == "exact":
            if int(v) == 1:  # "1 minute", "1 plays" -> "1 play"
                first, _, rest = unit.partition(" ")
                unit = (first[:-1] if first.endswith("s") else first) + (" " + rest if rest else "")
            return f"{fmt_int(int(v))} {unit}", v
        if hedge == "words":
            return f"{words(int(v), self.british)} {unit}", v
        if hedge == "hours":
            h = round(v / 60 * 2) / 2
            if h < 1.5:
                return None, None
            whole = int(h)
            word = rng.choice(["about ", "roughly ", "around ", "", "something like "])
            spell = whole < 20 and rng.random() < 0.5
            w = words(whole, True) if spell else str(whole)
            if h == whole:
                return f"{word}{w} hours", h
            return f"{word}{w} and a half hours", h
        step = round_step(int(v))
        if hedge == "dozen":
            if 22 <= v <= 26:
                return f"a couple dozen {unit}", 24
            if 11 <= v <= 13:
                return f"a dozen or so {unit}", 12
            return None, None
        if hedge == "range":
            if step == 1 or v < 40:
                return None, None
            lo = int(v // step * step)
            hi = lo + step
            if lo == v:
                return None, None
            return f"somewhere between {fmt_int(lo)} and {fmt_int(hi)} {unit}", (lo, hi)
        if step == 1:
            return None, None
        if hedge == "about":
            r = int(round(v / step) * step)
            if abs(r - v) > 0.05 * v:
                r = int(round(v / 5) * 5) if abs(round(v / 5) * 5 - v) <= 0.05 * v else int(v)
            w = rng.choice(["about", "around", "roughly", "some", "close to", "give or take"])
            if w == "close to" and r > v:
                w = "about"
            txt = (
                f"{w} {fmt_int(int(r))} {unit}"
                if w != "give or take"
                else f"{fmt_int(int(r))} {unit}, give or take"
            )
            return txt, r
        if hedge == "over":
            r = int(v // step * step)
            if r == v:
                r -= step
            if r <= 0 or not (r < v <= r * 1.15 + 1):
                return None, None
            w = rng.choice(["more than", "over", "north of", "upwards of", "a little over"])
            return f"{w} {fmt_int(r)} {unit}", r
        if hedge == "nearly":
            r = int(-(-v // step) * step)
            if r == v:
                r += step
            if not (r * 0.97 <= v < r):
                return None, None
            w = rng.choice(["nearly", "almost", "just shy of", "not quite"])
            return f"{w} {fmt_int(r)} {unit}", r
        return None, None


class Lazy(dict):
    """format_map target: renders a fact on first use and remembers which keys a story used."""

    def __init__(self, facts: Facts):
        super().__init__()
        self.f = facts

    def __missing__(self, key: str) -> str:
        f = self.f
        f.used.append(key)
        if key in f.override:
            val = f.override[key]
        elif key in ("date", "date_short", "date_th", "date_iso"):
            form = {"date": 0, "date_short": 1, "date_th": 2, "date_iso": 3}[key]
            val = f.fmt_date(f.date, form)
        elif key in f.nums:
            val = f.render(key)
        elif key.endswith("_n") and key[:-2] in f.nums:  # bare number, exact, no unit
            k = key[:-2]
            true = f.nums[k][0]
            if f.nums[k][2] and f.estimated:
                val = "about " + fmt_int(int(true))
                f.claims.append(Claim(k, true, "about", val))
            else:
                val = fmt_int(int(true))
                f.claims.append(Claim(k, true, "exact", val))
        else:
            val = str(f.v[key])
        self[key] = val
        return val


def keys_of(tpl: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(tpl) if name}


def available(f: Facts, tpl: str) -> bool:
    for k in keys_of(tpl):
        base = k[:-2] if k.endswith("_n") else k
        if k in ("date", "date_short", "date_th", "date_iso"):
            continue
        if base not in f.nums and k not in f.v:
            return False
    return True


def pick(f: Facts, options: list[str]) -> str | None:
    ok = [o for o in options if available(f, o)]
    return f.rng.choice(ok) if ok else None


def wc(text: str) -> int:
    return len(text.split())


META = ("yearline2", "yearline", "generic", "detail", "why")


def compose(f: Facts, style: dict) -> tuple[str, list[list[str]]]:
    """Title and paragraphs (lists of sentences) in `style`; meta slots ({why}, {detail},
    {generic}, {yearline}, {yearline2}, and their lower-cased `_l` forms) are chosen once per
    story from the shared pools, among the templates whose facts exist."""
    from gen_styles import GENERIC_DAY, YEAR, detail, why

    f.hedge_pref = style.get("hedge", "mixed")
    lazy = Lazy(f)
    pools = {"why": why(f.cat), "detail": detail(f.cat), "generic": GENERIC_DAY, "yearline": YEAR}
    meta: dict[str, str | None] = {}

    def choose(m: str) -> str | None:
        if m not in meta:
            src = pools["yearline" if m == "yearline2" else m]
            ok = [t for t in src if available(f, t) and t != meta.get("yearline")]
            meta[m] = f.rng.choice(ok) if ok else None
        return meta[m]

    def expand(t: str) -> str | None:
        for m in META:
            for sfx in ("_l", ""):
                ph = "{" + m + sfx + "}"
                if ph in t:
                    sub = choose(m)
                    if sub is None:
                        return None
                    if sfx and (":" in sub or "?" in sub):
                        return None  # a colon or question line cannot follow "Also," etc.
                    if sfx and not sub.startswith("{"):
                        sub = sub[0].lower() + sub[1:]
                    t = t.replace(ph, sub)
        return t

    def pick_x(options: list[str]) -> str | None:
        ok = []
        for o in options:
            e = expand(o)
            if e is not None and available(f, e):
                ok.append(e)
        return f.rng.choice(ok) if ok else None

    title_t = pick_x(style["title"]) or "{date_short}"
    paras: list[list[str]] = []
    for block in style["paras"]:
        para = []
        for slot in block:
            t = pick_x(slot)
            if t:
                s = t.format_map(lazy)
                cap = not style.get("lower") and not t.startswith("{")
                para.append(s[0].upper() + s[1:] if cap else s)
        if para:
            paras.append(para)
    fill = [t for t in style.get("fill", []) if available(f, t)]
    f.rng.shuffle(fill)
    while wc(" ".join(" ".join(p) for p in paras)) < 66 and fill:
        paras[-1].insert(max(0, len(paras[-1]) - 1), fill.pop().format_map(lazy))
    while wc(" ".join(" ".join(p) for p in paras)) > 134 and len(paras[-1]) > 2:
        paras[-1].pop(-2)
    title = title_t.format_map(lazy)
    return title, paras


def text_of(paras: list[list[str]], joiner: str = " ") -> str:
    return "\n\n".join(joiner.join(p) for p in paras)


def names_of(uy: dict) -> set[str]:
    out: set[str] = set()

    def walk(x, key=""):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, k)
        elif isinstance(x, list):
            for v in x:
                walk(v, key)
        elif isinstance(x, str) and key in (
            "name", "by", "title", "album", "genre", "artist", "top_artist", "top_track",
            "top_track_artist", "top_new_artist", "top_show", "oldest_track",
            "oldest_track_artist", "year_top_artist", "year_top_genre", "repeat_track",
            "repeat_artist",
        ):  # fmt: skip
            out.add(x)

    walk(uy)
    return out


def main() -> None:
    rng = random.Random(SEED)
    listeners = [json.loads(x) for x in (HERE / "listeners.jsonl").read_text("utf-8").splitlines()]
    every_name: set[str] = set()
    for uy in listeners:
        every_name |= names_of(uy)
    slots = []  # (uy, day)
    for uy in listeners:
        for day in uy["days"]:
            if day["category"] in ("birthday", "new_years_day"):
                continue
            slots.append((uy, day))
    labels = T.DEFECTS
    plan = ["good"] * 240 + [lab for lab in labels for _ in range(36)]
    rng.shuffle(plan)
    styles = list(T.STYLES)
    records = []
    counters: dict[str, int] = {}
    i = 0
    attempts = 0
    tries = 0  # retries of story i: a skipped slot moves to the next listener-day first
    while i < len(plan):
        attempts += 1
        tries += 1
        assert attempts < 20000, "generator stuck"
        label = plan[i]
        uy, day = slots[(i * 7 + tries) % len(slots)]
        style_name = styles[(i + tries // 9) % len(styles)]
        style = T.STYLES[style_name]
        srng = random.Random(f"{SEED}-{i}-{attempts}")
        f = Facts(uy, day, srng, every_name)
        try:
            title, paras, detail = T.plant(label, f, style, compose, every_name)
        except (T.Skip, IndexError):  # IndexError: no quotable candidate for this defect
            continue
        joiner = " "
        story = text_of(paras, joiner)
        if style.get("lower"):
            story = T.lower_casual(story, f)
        n = wc(story)
        if not (60 <= n <= 140) or not (1 <= len(title) <= 60):
            continue
        if label == "good":
            T.verify_good(f, title, story)
        counters[label] = counters.get(label, 0) + 1
        records.append(
            {
                "id": f"dev2-{label}-{counters[label]:03d}",
                "user_id": uy["user_id"],
                "day": day["date"],
                "label": label,
                "source": style_name,
                "title": title,
                "story": story,
                "previous": [],
                "detail": detail,
                "split": "dev2",
            }
        )
        i += 1
        tries = 0
    with (HERE / "stories.jsonl").open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(records)} stories -> {HERE / 'stories.jsonl'}")


if __name__ == "__main__":
    main()
