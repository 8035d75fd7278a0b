"""Generate `stories.jsonl` for the held-out `test` split of the gate corpus (deterministic).

Good stories come from the hand-written style frames in `gen_styles.py`, filled from one
listener's day and year; each is re-checked claim by claim (every number against the fact it
states, in its hedge's direction; every quoted name against the listener's names; no stray
digits). A defect story is a good story with exactly one planted defect: a corrupted fact the
story used (wrong count, date, weekday, rank, or a name swapped for one never played), or one
sentence from `gen_pools.py` (hallucinated names and rank claims in other positions, personal
data, obfuscated or plain unsafe words, echoed instructions, shaming, sensitive inference).

    python evals/gate_corpus/test/gen.py      # writes stories.jsonl next to this file
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_pools as P  # noqa: E402
from gen_core import MONTHS, Ctx, Missing, claim_holds, day_facts  # noqa: E402
from gen_styles import S  # noqa: E402

from wrapped.stats.model import WEEKDAYS, UserYear  # noqa: E402

QUOTAS = {"good": 262, "hallucinated_artist": 46, "wrong_count": 48, "wrong_rank": 48,
          "wrong_date": 44, "wrong_weekday": 44, "pii": 46, "obfuscated_unsafe": 46,
          "unsafe_mention": 46, "injection_echo": 46, "shaming": 46,
          "sensitive_inference": 46}
SKIP_DAYS = {"birthday", "new_years_day"}
MIN_WORDS, MAX_WORDS = 60, 140
QUOTED = re.compile(r"[\u201c\"]([^\u201d\"]+)[\u201d\"]")


class Reject(Exception):
    """This combination does not make a valid story; try another."""


def load():
    years = {}
    for line in (HERE / "listeners.jsonl").read_text(encoding="utf-8").splitlines():
        y = UserYear.model_validate_json(line)
        years[y.user_id] = y
    plays = json.loads((HERE / "plays.json").read_text(encoding="utf-8"))
    return years, plays


def listener_names(y: UserYear, plays: dict) -> set[str]:
    names = set(plays["artists"])
    for k in plays["tracks"]:
        names.update(k.split("\u241f"))
    for lst in (y.top_albums, y.top_genres, y.top_podcasts, y.top_episodes):
        names.update(r.name for r in lst)
    for d in y.days:
        for e in d.log:
            names.update(x for x in (e.title, e.by, e.album) if x)
    return names


def render(style, fx, uk, choice, override=None, flip=None):
    """(title, p1, p2, ctx) for frames `choice` = (title, p1, p2) indices."""
    c = Ctx(fx, uk)
    if override:
        c.override.update(override)
    object.__setattr__(c, "flip", flip)
    ti, i1, i2 = choice
    p1 = tidy(style["name"], style["p1"][i1](c))
    p2 = tidy(style["name"], style["p2"][i2](c))
    title = style["titles"][ti](c)
    return title, p1, p2, c


def tidy(style_name: str, s: str) -> str:
    """Singular after 1, and a capital letter at each sentence start (casual_text keeps its
    lower case on purpose)."""
    s = re.sub(r"(?<![\w-])(1|one) (plays|minutes|artists|times|days)\b",
               lambda m: f"{m.group(1)} {m.group(2)[:-1]}", s)
    if style_name != "casual_text":
        s = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), s)
    return s


def nwords(p1: str, p2: str) -> int:
    return len(p1.split()) + len(p2.split())


def base_story(style, fx, uk, rng, room: int = 0, plays_first: bool = False):
    """A good story in this style for this day: (choice, title, p1, p2, ctx). With
    `plays_first`, a second paragraph with a by-plays claim is tried first."""
    combos = [(t, a, b) for t in range(len(style["titles"])) for a in range(len(style["p1"]))
              for b in range(len(style["p2"]))]
    rng.shuffle(combos)
    if plays_first:
        pref = set(style.get("plays_p2", ()))
        combos.sort(key=lambda ch: ch[2] not in pref)
    for ch in combos:
        try:
            title, p1, p2, c = render(style, fx, uk, ch)
        except Missing:
            continue
        if len(title) > 60 or title.endswith("."):
            continue
        if not MIN_WORDS <= nwords(p1, p2) <= MAX_WORDS - room:
            continue
        if not re.search(r"\byou(r|rs)?\b", f"{p1} {p2}", re.I):
            continue  # the product writes to the listener, in the second person
        return ch, title, p1, p2, c
    raise Reject("no frame fits")


def verify_good(title, p1, p2, c, fx, names, y: UserYear):
    """Every logged number holds in its direction; quoted names are the listener's; every
    digit group in the text is a logged number, a time, the date's day or the year."""
    for k, kind, shown, true, _text in c.claims:
        assert claim_holds(kind, shown, true), (k, kind, shown, true)
        assert fx[k] == true
    text = f"{title}\n{p1}\n{p2}"
    for m in QUOTED.finditer(text):
        assert m.group(1) in names, m.group(1)
    allowed = {str(x[2]) for x in c.claims} | {f"{x[2]:,}" for x in c.claims}
    allowed |= {str(x[2] // 60) for x in c.claims if x[4].endswith(" hours")}
    d: date = fx["day_date"]
    allowed |= {str(d.day), str(y.window.year), d.isoformat(), f"{d.day}th", f"{d.day}st",
                f"{d.day}nd", f"{d.day}rd"}
    stripped = re.sub(r"(?m)\b\d{2}:\d{2}\b|Rank [12]\b|^[1-3]\. ", "", text)
    stripped = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", lambda m: "" if m.group(0) == d.isoformat()
                      else m.group(0), stripped)
    stripped = re.sub(r"\b(1[6-9]|20)\d0s\b", lambda m: "" if m.group(0) == fx["Y_decade"]
                      else m.group(0), stripped)
    for name in sorted(names, key=len, reverse=True):  # digits inside names are names
        if any(ch.isdigit() for ch in name):
            stripped = stripped.replace(name, "")
    for m in re.finditer(r"\d[\d,]*(?:st|nd|rd|th)?", stripped):
        tok = m.group(0).rstrip(",")
        assert tok in allowed, (tok, text)
    assert c._f["day_date"] == y.day(d).date and fx["wd"] == WEEKDAYS[d.weekday()]


def other_numbers(fx, y: UserYear) -> dict[int, str]:
    """Numbers true of something else in the year (value -> what it is): wrong_count traps."""
    out: dict[int, str] = {}

    def add(v, what):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 2:
            out.setdefault(int(v), what)

    for k, v in fx.items():
        if k not in ("year", "cat_seed"):
            add(v, f"fact {k}")
    for wd, v in zip(WEEKDAYS, y.clock.minutes_by_weekday, strict=True):
        add(v, f"minutes on {wd}s")
    for m in y.months:
        add(m.minutes, f"minutes in {m.name}")
    for d in y.days:
        add(d.facts.get("minutes", 0), f"minutes on {d.date}")
    for r in y.top_artists:
        add(r.minutes, f"minutes of {r.name}")
    for r in y.top_tracks:
        add(r.plays, f"plays of {r.name}")
    for part, v in y.clock.minutes_by_part.items():
        add(v, f"{part} minutes")
    return out


def insert(p: str, sentence: str, rng) -> str:
    if "\n" in p:
        return p + " " + sentence
    parts = re.split(r"(?<=[.!?])\s+", p)
    at = rng.randint(1, len(parts))
    return " ".join(parts[:at] + [sentence] + parts[at:])


def plant_sentence(title, p1, p2, sentence, rng):
    if rng.random() < 0.5:
        return title, insert(p1, sentence, rng), p2
    return title, p1, insert(p2, sentence, rng)


class Maker:
    def __init__(self, years, plays, rng):
        self.years, self.plays, self.rng = years, plays, rng
        self.names = {u: listener_names(y, plays[u]) for u, y in years.items()}
        everyone = set().union(*self.names.values())
        for fake in P.FAKE_ARTISTS + P.FAKE_TRACKS:
            assert fake not in everyone, fake
        self.pool_use: Counter[str] = Counter()

    def pick(self, pool: list[str], key: str) -> str:
        """The least-used sentence of a pool (ties at random), so pools are used evenly."""
        least = min(self.pool_use[f"{key}:{i}"] for i in range(len(pool)))
        i = self.rng.choice([i for i in range(len(pool)) if self.pool_use[f"{key}:{i}"] == least])
        self.pool_use[f"{key}:{i}"] += 1
        return pool[i]

    # ---------------------------------------------------------------------------------------
    def make(self, label, style, y: UserYear, day):
        rng = self.rng
        fx = day_facts(y, day, self.plays[y.user_id])
        fx["cat_seed"] = rng.randrange(10**9)
        uk = y.locale == "en-GB"
        room = 0 if label == "good" else 30
        plays_first = label == "good" and "plays_p2" in style and rng.random() < 0.5
        ch, title, p1, p2, c = base_story(style, fx, uk, rng, room, plays_first)
        verify_good(title, p1, p2, c, fx, self.names[y.user_id], y)
        if label == "good":
            return title, p1, p2, ""
        fn = getattr(self, label)
        out = fn(style, fx, uk, ch, c, title, p1, p2, y, day)
        t2, q1, q2, detail = out
        if not MIN_WORDS <= nwords(q1, q2) <= MAX_WORDS or len(t2) > 60:
            raise Reject("length")
        if (t2, q1, q2) == (title, p1, p2):
            raise Reject("unchanged")
        return out

    def _rerender(self, style, fx, uk, ch, **kw):
        try:
            return render(style, fx, uk, ch, **kw)
        except Missing as e:
            raise Reject(str(e)) from e

    # factual kinds ---------------------------------------------------------------------
    def wrong_count(self, style, fx, uk, ch, c, title, p1, p2, y, day):
        rng = self.rng
        claims = list(c.claims)
        rng.shuffle(claims)
        for k, kind, _shown, true, _text in claims:
            strategies = ["trap", "trap", "flip"] if kind != "words" else ["trap"]
            rng.shuffle(strategies)
            for strat in strategies:
                if strat == "trap":
                    known = other_numbers(fx, y)
                    traps = sorted(v for v in known
                                   if abs(v - true) >= max(2, 0.15 * true) and v < 20 * max(true, 1))
                    near = [v for v in traps if 0.3 * true <= v <= 3 * true]
                    traps = near or traps
                    rng.shuffle(traps)
                    tries = [dict(override={k: v}) for v in traps[:6]]
                else:
                    tries = [dict(flip=k)]
                for kw in tries:
                    try:
                        t2, q1, q2, c2 = self._rerender(style, fx, uk, ch, **kw)
                    except Reject:
                        continue
                    bad = [x for x in c2.claims if x[0] == k]
                    good = [x for x in c2.claims if x[0] != k]
                    if not bad or any(claim_holds(x[1], x[2], x[3]) for x in bad):
                        continue
                    if not all(claim_holds(x[1], x[2], x[3]) for x in good):
                        continue
                    b = bad[0]
                    how = (f"{kw['override'][k]} is true of something else: "
                           f"{known[kw['override'][k]]}"
                           if "override" in kw else "a hedge in the wrong direction"
                           if kind in ("over", "nearly") else "a hedged figure too far off")
                    return t2, q1, q2, (f"planted '{b[4]}' for {k} ({how}); "
                                        f"the truth is {true}")
        raise Reject("no count")

    def wrong_date(self, style, fx, uk, ch, c, title, p1, p2, y, day):
        if "day_date" not in c.used:
            raise Reject("no date")
        d = fx["day_date"]
        for shift in self.rng.sample([-14, -7, 7, 14, 21, -21], 6):
            nd = date.fromordinal(d.toordinal() + shift)
            if nd.year != d.year:
                continue
            t2, q1, q2, c2 = self._rerender(style, fx, uk, ch, override={"day_date": nd})
            return t2, q1, q2, (f"planted the date {nd.day} {MONTHS[nd.month - 1]} (same "
                                f"weekday); the day is {d.isoformat()}")
        raise Reject("no date shift")

    def wrong_weekday(self, style, fx, uk, ch, c, title, p1, p2, y, day):
        rng = self.rng
        opts = []
        if "wd" in c.used:
            opts.append("wd")
        if "Y_busy" in c.used:
            opts.append("Y_busy")
        if not opts:
            raise Reject("no weekday")
        k = rng.choice(opts)
        wrong = rng.choice([w for w in WEEKDAYS if w != fx[k]])
        t2, q1, q2, _ = self._rerender(style, fx, uk, ch, override={k: wrong})
        what = "the day's weekday" if k == "wd" else "the year's busiest weekday"
        return t2, q1, q2, f"planted '{wrong}' as {what}; the truth is {fx[k]}"

    def _fake(self, kind):
        pool = P.FAKE_ARTISTS if kind == "artist" else P.FAKE_TRACKS
        return self.pick(pool, kind + "fake")

    def hallucinated_artist(self, style, fx, uk, ch, c, title, p1, p2, y, day):
        rng = self.rng
        artist_fields = [k for k in ("top_a", "first_by", "Y_top", "Y_2", "top_new", "Y_mpa",
                                     "Y_tt_by", "Y_mpt_by", "show") if k in c.used and k != "show"]
        track_fields = [k for k in ("first_title", "Y_mpt", "rep_t") if k in c.used]
        if rng.random() < 0.5 and (artist_fields or track_fields):
            k = rng.choice(artist_fields + track_fields)
            fake = self._fake("artist" if k in artist_fields else "track")
            t2, q1, q2, _ = self._rerender(style, fx, uk, ch, override={k: fake})
            return t2, q1, q2, (f"planted '{fake}' (never played) in place of {k} "
                                f"'{fx[k]}'")
        sent = self.pick(P.HALLUC, "halluc")
        fake = self._fake("artist")
        track = self._fake("track")
        qT = f"\u201c{track}\u201d" if uk else f'"{track}"'
        if ("{a2}" in sent and not fx.get("log_a2")) or ("{a3}" in sent and not fx.get("log_a3")):
            raise Reject("log artists")
        s = sent.format(X=fake, qT=qT, a2=fx.get("log_a2"), a3=fx.get("log_a3"),
                        first=fx["first"], last=fx["last"])
        if "{a2}" in sent or "{a3}" in sent:
            for a in (fx.get("log_a2"), fx.get("log_a3")):
                if a and re.search(r"<|>|&amp|drunk|whisk|ignore|system|sex|cocaine|gun", a, re.I):
                    raise Reject("unfit name")
        t2, q1, q2 = plant_sentence(title, p1, p2, s, rng)
        return t2, q1, q2, f"planted sentence naming '{fake}'" + (
            f" and '{track}'" if "{qT}" in sent else "") + f" (never played): {s}"

    def wrong_rank(self, style, fx, uk, ch, c, title, p1, p2, y, day):
        rng = self.rng
        ta = [r.name for r in y.top_artists]
        pl = self.plays[y.user_id]
        fit = re.compile(r"<|>|&amp|drunk|whisk|ignore|system|sex|cocaine|gun|script|prompt", re.I)
        ta_ok = [a for a in ta if not fit.search(a)]
        # a corrupted rank-bearing name the story used
        ctx_opts = []
        if "Y_top" in c.used and not {"Y_top_min", "Y_top_plays"} & set(c.used):
            ctx_opts += [("Y_top", a) for a in ta_ok[1:6]]
        if "Y_2" in c.used and "Y_2_min" not in c.used:
            ctx_opts += [("Y_2", a) for a in ta_ok[2:6] + ta_ok[:1]]
        if "Y_genre" in c.used and len(y.top_genres) > 1:
            ctx_opts += [("Y_genre", g.name) for g in y.top_genres[1:4]]
        if "Y_mpa" in c.used and "Y_mpa_n" not in c.used:
            ctx_opts += [("Y_mpa", a) for a in list(pl["artists"])[1:4] if not fit.search(a)]
        if "Y_mpt" in c.used and "Y_mpt_n" not in c.used:
            ctx_opts += [("Y_mpt", k.split("\u241f")[0]) for k in list(pl["tracks"])[1:4]
                         if not fit.search(k)]
        if ctx_opts and rng.random() < 0.45:
            k, w = rng.choice(ctx_opts)
            t2, q1, q2, _ = self._rerender(style, fx, uk, ch, override={k: w})
            return t2, q1, q2, f"planted '{w}' as {k}; the truth is '{fx[k]}'"
        # a planted rank sentence, in one of many forms
        mpa = list(pl["artists"])
        tracks = [k.split("\u241f")[0] for k in pl["tracks"]]
        kinds = ["artist", "artist", "second", "list", "track", "track", "genre", "day"]
        rng.shuffle(kinds)
        for kind in kinds:
            if kind == "artist":
                cands = ta_ok[1:5]
                if mpa and mpa[0] != ta[0] and not fit.search(mpa[0]):
                    cands = [mpa[0]] * 3 + cands  # the by-plays #1 is not the by-time #1
                if not cands:
                    continue
                w = rng.choice(cands)
                s = self.pick(P.RANK_ARTIST, "rank_a").format(W=w, year=fx["year"])
                truth = f"#1 by minutes is {ta[0]}"
            elif kind == "second":
                cands = [a for a in ta_ok if a != (ta[1] if len(ta) > 1 else None)][:5]
                if len(ta) < 3 or not cands:
                    continue
                w = rng.choice(cands)
                s = self.pick(P.RANK_SECOND, "rank_2").format(W2=w, year=fx["year"])
                truth = f"#2 is {ta[1]}"
            elif kind == "list":
                if len(ta_ok) < 4 or ta_ok[:3] != ta[:3]:
                    continue
                three = rng.choice([[ta[1], ta[0], ta[2]], [ta[0], ta[2], ta[1]],
                                    [ta[0], ta[1], ta[3]], [ta[3], ta[0], ta[1]]])
                L3 = f"{three[0]}, {three[1]} and {three[2]}"
                s = self.pick(P.RANK_LIST, "rank_l").format(L3=L3)
                truth = f"top three are {ta[0]}, {ta[1]}, {ta[2]}"
            elif kind == "track":
                if not fx.get("Y_mpt"):
                    continue
                cands = [t for t in tracks[1:5] if not fit.search(t)]
                if y.top_tracks[0].name != fx["Y_mpt"] and not fit.search(y.top_tracks[0].name):
                    cands = [y.top_tracks[0].name] * 3 + cands  # #1 by minutes, not by plays
                if not cands:
                    continue
                w = rng.choice(cands)
                qw = f"\u201c{w}\u201d" if uk else f'"{w}"'
                s = self.pick(P.RANK_TRACK, "rank_t").format(qWT=qw, year=fx["year"])
                truth = f"#1 by plays is {fx['Y_mpt']} ({fx['Y_mpt_n']} plays)"
            elif kind == "genre":
                if len(y.top_genres) < 2:
                    continue
                w = rng.choice([g.name for g in y.top_genres[1:4]])
                s = self.pick(P.RANK_GENRE, "rank_g").format(WG=w)
                truth = f"top genre is {y.top_genres[0].name}"
            else:
                dp = fx.get("day_art_plays")
                if not dp or not fx.get("day_top_by_plays"):
                    continue
                cands = [a for a in dp if a != fx["day_top_by_plays"] and not fit.search(a)]
                if fx["top_a"] != fx["day_top_by_plays"] and not fit.search(fx["top_a"]):
                    cands = [fx["top_a"]] * 3 + cands  # #1 by minutes that day, not by plays
                if not cands:
                    continue
                w = rng.choice(cands)
                s = self.pick(P.RANK_DAY, "rank_d").format(WD=w)
                truth = f"most plays that day: {fx['day_top_by_plays']}"
            t2, q1, q2 = plant_sentence(title, p1, p2, s, rng)
            return t2, q1, q2, f"planted false rank claim: {s} ({truth})"
        raise Reject("no rank")

    # planted sentences -------------------------------------------------------------------
    def _sentence(self, title, p1, p2, pool, key, what, **fmt):
        s = self.pick(pool, key)
        s = s.format(**fmt) if fmt else s
        t2, q1, q2 = plant_sentence(title, p1, p2, s, self.rng)
        return t2, q1, q2, f"{what}: {s}"

    def pii(self, style, fx, uk, ch, c, title, p1, p2, y, day):
        rng = self.rng
        dob = y.birth_date or date(1990 + rng.randint(0, 15), rng.randint(1, 12), rng.randint(1, 28))
        dob_s = rng.choice([f"{dob.day} {MONTHS[dob.month - 1]} {dob.year}",
                            f"{MONTHS[dob.month - 1]} {dob.day}, {dob.year}",
                            f"{dob.month:02d}/{dob.day:02d}/{dob.year}",
                            f"{dob.day:02d}.{dob.month:02d}.{dob.year}", dob.isoformat(),
                            f"{dob.year}年{dob.month}月{dob.day}日"])
        return self._sentence(title, p1, p2, P.PII, "pii", "planted personal data",
                              email=rng.choice(P.EMAILS), ip=rng.choice(P.IPS),
                              phone=rng.choice(P.PHONES), addr=rng.choice(P.ADDRS), dob=dob_s)

    def obfuscated_unsafe(self, *a):
        return self._sentence(*a[5:8], P.OBFUSCATED, "obf", "planted obfuscated unsafe word")

    def unsafe_mention(self, *a):
        return self._sentence(*a[5:8], P.UNSAFE, "unsafe", "planted unsafe mention")

    def injection_echo(self, *a):
        return self._sentence(*a[5:8], P.INJECTION, "inj", "planted echoed instruction")

    def shaming(self, *a):
        return self._sentence(*a[5:8], P.SHAMING, "shame", "planted shaming")

    def sensitive_inference(self, *a):
        return self._sentence(*a[5:8], P.SENSITIVE, "sens", "planted sensitive inference")


def main() -> None:
    years, plays = load()
    rng = random.Random(20)
    mk = Maker(years, plays, rng)
    pairs = [(y, d) for y in years.values() for d in y.days if d.category not in SKIP_DAYS]
    records = []
    used = set()
    n = 0
    for label, quota in QUOTAS.items():
        made = 0
        attempts = 0
        while made < quota:
            attempts += 1
            assert attempts < quota * 80, (label, made)
            style = S[n % len(S)] if attempts % 3 else rng.choice(S)
            y, day = pairs[(n * 7 + attempts) % len(pairs)] if attempts % 2 else rng.choice(pairs)
            n += 1
            try:
                title, p1, p2, detail = mk.make(label, style, y, day)
            except (Reject, Missing):
                continue
            story = f"{p1}\n\n{p2}"
            if story in used:
                continue
            used.add(story)
            made += 1
            records.append({"id": "", "user_id": y.user_id, "day": day.date.isoformat(),
                            "label": label, "source": style["name"], "title": title,
                            "story": story, "previous": [], "detail": detail, "split": "test"})
    rng.shuffle(records)
    for i, r in enumerate(records):
        r["id"] = f"t-{i + 1:04d}"
    with open(HERE / "stories.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(Counter(r["label"] for r in records), len(records))


if __name__ == "__main__":
    main()
