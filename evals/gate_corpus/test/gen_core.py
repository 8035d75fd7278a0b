"""Facts of one (listener, day) for the test-split generator, with logged, checkable numbers.

Every number a frame writes goes through `Ctx.num` (exact, about, more-than, nearly, words,
hours), which logs (field, form, shown value, true value). Good stories are accepted only when
every logged claim holds in its direction against the true value, and every name they quote is
one of the listener's names; a wrong_count story is accepted only when its one corrupted claim is
false. Frames read facts as attributes (`c.top_a`), and the read fields are recorded, so a
defect can corrupt exactly a field the story used.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from wrapped.stats.model import MONTHS, UserYear

AVOID = re.compile(
    r"<|>|&amp|whisk|drunk|gun|motel|sex|explicit|cocaine|ignore|instruction|system|prompt|"
    r"developer|reveal|listener|script|wrapped|\(live\)", re.I)

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def words(n: int, uk: bool) -> str:
    """English number words below 10,000 ("one hundred and forty-two" in British style)."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        head = ONES[n // 100] + " hundred"
        return head if rest == 0 else head + (" and " if uk else " ") + words(rest, uk)
    rest = n % 1000
    head = words(n // 1000, uk) + " thousand"
    if rest == 0:
        return head
    return head + (" and " if uk and rest < 100 else " ") + words(rest, uk)


def fmt(n: int) -> str:
    return f"{n:,}"


def ordinal(n: int) -> str:
    suf = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


class Missing(Exception):
    """A frame asked for a fact this day does not have (or a name unfit to print)."""


class Ctx:
    """Attribute access to facts; numbers only through `num` and its shortcuts."""

    def __init__(self, facts: dict, uk: bool):
        object.__setattr__(self, "_f", dict(facts))
        object.__setattr__(self, "uk", uk)
        object.__setattr__(self, "used", [])
        object.__setattr__(self, "claims", [])
        object.__setattr__(self, "override", {})  # field -> shown value (wrong_count)
        object.__setattr__(self, "flip", None)  # field whose hedge goes the wrong way

    def __getattr__(self, k: str):
        if k.startswith("_"):
            raise AttributeError(k)
        v = self._f.get(k)
        if v is None:
            raise Missing(k)
        if isinstance(v, str) and AVOID.search(v):
            raise Missing(k)
        self.used.append(k)
        if k in self.override:
            return self.override[k]
        return v

    def has(self, *ks: str) -> bool:
        return all(self._f.get(k) is not None and not (
            isinstance(self._f[k], str) and AVOID.search(self._f[k])) for k in ks)

    # numbers ---------------------------------------------------------------------------
    def num(self, k: str, form: str = "exact") -> str:
        true = self._f.get(k)
        if true is None or isinstance(true, str):
            raise Missing(k)
        self.used.append(k)
        base = self.override.get(k, true)
        if self.flip == k:
            form = {"over": "over_wrong", "nearly": "nearly_wrong", "about": "about_wrong",
                    "exact": "about_wrong", "words": "about_wrong"}.get(form, form)
        shown, text = self._hedge(int(base), form)
        kind = form.replace("_wrong", "") if form.endswith("_wrong") else form
        self.claims.append((k, kind, shown, int(true), text))
        return text

    def _hedge(self, n: int, form: str) -> tuple[int, str]:
        if form == "exact":
            return n, fmt(n)
        if form == "words":
            if n >= 10000:
                raise Missing("words")
            return n, words(n, self.uk)
        step = 100 if n >= 1000 else 10 if n >= 40 else 5 if n >= 15 else 1
        if form == "about":
            r = round(n / step) * step
            if r == n or abs(r - n) > 0.05 * n or r == 0:
                raise Missing("about")
            return r, f"about {fmt(r)}"
        if form == "over":
            r = (n // step) * step
            if r == n:
                r = n - step
            if r <= 0 or n - r > 0.2 * n:
                raise Missing("over")
            return r, f"more than {fmt(r)}"
        if form == "nearly":
            r = -(-n // step) * step
            if r == n or r - n > 0.04 * n:
                raise Missing("nearly")
            return r, f"nearly {fmt(r)}"
        if form == "over_wrong":  # "more than X" with X above the truth
            r = -(-n // step) * step
            r = r + step if r == n else r
            return r, f"more than {fmt(r)}"
        if form == "nearly_wrong":  # "nearly X" with X below the truth
            r = (n // step) * step
            r = r - step if r == n else r
            if r <= 0:
                raise Missing("nearly_wrong")
            return r, f"nearly {fmt(r)}"
        if form == "about_wrong":  # a round figure clearly off (25%+, at least 3)
            r = round(n * 1.3 / step) * step
            if r - n < max(3, 0.25 * n):
                r = -(-(n + max(3, int(0.25 * n) + 1)) // step) * step
            return r, f"about {fmt(r)}"
        raise ValueError(form)

    def ex(self, k: str) -> str:
        return self.num(k, "exact")

    def ab(self, k: str) -> str:
        return self.num(k, "about")

    def ov(self, k: str) -> str:
        return self.num(k, "over")

    def nr(self, k: str) -> str:
        return self.num(k, "nearly")

    def wo(self, k: str) -> str:
        return self.num(k, "words")

    def hours(self, k: str) -> str:
        """Minutes as a hedged hours phrase ("more than two hours", "nearly 9 hours")."""
        true = self._f.get(k)
        if true is None:
            raise Missing(k)
        self.used.append(k)
        m = int(self.override.get(k, true))
        if m < 100:
            raise Missing("hours")
        h, rest = divmod(m, 60)
        wrong = self.flip == k
        if rest >= 50 and 60 - rest <= 0.04 * m:  # nearly h+1 hours
            shown = (h if wrong else h + 1) * 60
            word = "nearly"
            hh = shown // 60
        elif rest >= 5 and rest <= 0.2 * m:
            shown = (h + 1 if wrong else h) * 60
            word = "more than"
            hh = shown // 60
        else:
            raise Missing("hours")
        spelled = words(hh, self.uk) if hh < 13 else str(hh)
        text = f"{word} {spelled} hours"
        self.claims.append((k, "over" if word == "more than" else "nearly", shown, int(true), text))
        return text

    def date_(self, form: str = "long") -> str:
        d: date = self.day_date
        wd = self.wd
        mon = MONTHS[d.month - 1]
        if form == "long":
            return f"{wd} {d.day} {mon}" if self.uk else f"{wd}, {mon} {d.day}"
        if form == "short":
            return f"{d.day} {mon}" if self.uk else f"{mon} {d.day}"
        if form == "ord":
            return f"the {ordinal(d.day)} of {mon}"
        if form == "iso":
            return d.isoformat()
        if form == "month":
            return mon
        raise ValueError(form)


def claim_holds(kind: str, shown: int, true: int) -> bool:
    if kind in ("exact", "words"):
        return shown == true
    if kind == "about":
        return abs(shown - true) <= 0.05 * max(true, 1)
    if kind == "over":
        return true > shown and true - shown <= 0.2 * true
    if kind == "nearly":
        return shown > true and shown - true <= 0.045 * true
    raise ValueError(kind)


def unique_top(counter: dict[str, int]) -> tuple[str, int, str, int] | None:
    """(#1, its count, #2, its count) when #1 is strictly ahead."""
    items = sorted(counter.items(), key=lambda kv: -kv[1])
    if len(items) < 2 or items[0][1] == items[1][1]:
        return None
    return items[0][0], items[0][1], items[1][0], items[1][1]


def day_facts(y: UserYear, day, plays: dict) -> dict:
    """Every fact a frame may use for this listener's day (None when the day lacks it)."""
    f = day.facts
    g = f.get
    tr_plays = {}
    for k, v in plays["tracks"].items():
        t, a = k.split("\u241f")
        tr_plays[(t, a)] = v
    # the first play of the day, when it was a track (frames say "the first song" with it)
    first_track = day.log[0] if day.log and day.log[0].kind == "track" else None
    log_artists = []
    for e in day.log:
        if e.kind == "track" and e.by and e.by not in log_artists:
            log_artists.append(e.by)
    ta = y.top_artists
    tt = y.top_tracks
    mpt = unique_top(plays["tracks"])
    mpa = unique_top(plays["artists"])
    fx = dict(
        uid=y.user_id, day_date=day.date, wd=day.weekday, cat=day.category,
        year=y.window.year, mins=g("minutes"), plays=g("plays"), mus_min=g("music_minutes"),
        mus_plays=g("music_plays"), n_art=g("distinct_artists"), top_a=g("top_artist"),
        top_a_min=g("top_artist_minutes"), top_a_plays=g("top_artist_plays"),
        top_t=g("top_track"), top_t_by=g("top_track_artist"), top_t_plays=g("top_track_plays"),
        first=g("first_play"), last=g("last_play"),
        first_t=g("first_play") if first_track else None, pod_min=g("podcast_minutes"),
        show=g("top_show"), show_min=g("top_show_minutes"), new_n=g("new_artists"),
        top_new=g("top_new_artist"), genre_day_min=g("year_top_genre_minutes"),
        yta_day_min=g("year_top_artist_minutes"), yta_day_plays=g("year_top_artist_plays"),
        first_title=first_track.title if first_track else None,
        first_by=first_track.by if first_track else None,
        log_a2=log_artists[1] if len(log_artists) > 1 else None,
        log_a3=log_artists[2] if len(log_artists) > 2 else None,
        Y_top=ta[0].name, Y_top_min=ta[0].minutes, Y_top_plays=ta[0].plays,
        Y_2=ta[1].name if len(ta) > 1 else None, Y_2_min=ta[1].minutes if len(ta) > 1 else None,
        Y_3=ta[2].name if len(ta) > 2 else None,
        Y_tt=tt[0].name, Y_tt_by=tt[0].by, Y_tt_min=tt[0].minutes,
        Y_total=y.totals.all.minutes, Y_music=y.totals.music.minutes,
        Y_days=y.totals.listening_days, Y_n_art=y.totals.distinct_artists,
        Y_n_tracks=y.totals.distinct_tracks, Y_busy=y.clock.busiest_weekday,
        Y_part=y.clock.top_part_of_day,
        Y_genre=y.top_genres[0].name if y.top_genres else None,
        Y_streak=y.streak.days if y.streak.days >= 3 else None,
        Y_pers=y.personality.label, Y_decade=y.nostalgia.top_decade,
        Y_new=y.discovery.new_artists,
        Y_mpt=mpt[0].split("\u241f")[0] if mpt else None,
        Y_mpt_by=mpt[0].split("\u241f")[1] if mpt else None, Y_mpt_n=mpt[1] if mpt else None,
        Y_mpa=mpa[0] if mpa else None, Y_mpa_n=mpa[1] if mpa else None,
        # a year's play count is quoted only for what the year's top lists hold
        tt_year=next((r.plays for r in tt if (r.name, r.by) == (g("top_track"),
                                                                  g("top_track_artist"))), None),
        ta_year=next((r.plays for r in ta if r.name == g("top_artist")), None),
        Y_tt_plays=tt[0].plays, Y_2_plays=ta[1].plays if len(ta) > 1 else None,
    )
    for k in ("top_a_plays", "ta_year"):  # "1 of them went to X" is true but no story
        if (fx[k] or 0) < 3:
            fx[k + "_3"] = None
        else:
            fx[k + "_3"] = fx[k]
    fx["ygenre"] = g("year_top_genre")
    fx["yta"] = g("year_top_artist")
    # plays-based claims about the day need the whole day's log (it is capped)
    complete = day.log_total == len(day.log)
    fx["log_complete"] = complete
    ap = Counter(e.by for e in day.log if e.kind == "track" and e.by)
    tp = Counter((e.title, e.by) for e in day.log if e.kind == "track")
    fx["day_art_plays"] = dict(ap) if complete else None
    fx["day_top_by_plays"] = None
    fx["top_a_p"] = None
    fx["rep_t"] = None
    if complete and ap:
        top2 = ap.most_common(2)
        if len(top2) == 1 or top2[0][1] > top2[1][1]:
            fx["day_top_by_plays"] = top2[0][0]
            if top2[0][0] == fx["top_a"]:
                fx["top_a_p"] = fx["top_a"]
        t2 = tp.most_common(2)
        if t2 and (len(t2) == 1 or t2[0][1] > t2[1][1]) and t2[0][0] == (
                fx["top_t"], fx["top_t_by"]) and t2[0][1] >= 3:
            fx["rep_t"] = fx["top_t"]
    if fx["Y_part"] and fx["Y_part"] == "night":
        fx["Y_part_phrase"] = "late at night"
    elif fx["Y_part"]:
        fx["Y_part_phrase"] = f"in the {fx['Y_part']}"
    return fx


def shift_date(d: date, days: int) -> date:
    return d + timedelta(days=days)
