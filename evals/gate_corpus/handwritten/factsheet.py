"""Print every fact a story of a hand-written split (dev3, dev4) may state, for one listener and one interesting day.

    .venv/bin/python evals/gate_corpus/handwritten/factsheet.py SPLIT                 # listeners and their days
    .venv/bin/python evals/gate_corpus/handwritten/factsheet.py SPLIT USER             # every usable day, then the year
    .venv/bin/python evals/gate_corpus/handwritten/factsheet.py SPLIT USER DAY         # one day's sheet
    .venv/bin/python evals/gate_corpus/handwritten/factsheet.py SPLIT USER DAY --log   # plus the whole log

The stories of this split were written by hand from these sheets: the day's facts and a
tally of its log (who and what was played, for how long, how often, first and last play),
then the year (totals, top lists by minutes and by plays, months, streaks, habits, clock,
nostalgia, personality), so every claim a story makes can be traced to one printed line.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict

from split import HERE  # noqa: E402 - takes SPLIT off argv

SKIP = ("birthday", "new_years_day")


def listeners() -> dict[str, dict]:
    out = {}
    for line in (HERE / "listeners.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out[d["user_id"]] = d
    return out


def usable_days(d: dict) -> list[dict]:
    return [day for day in d["days"] if day["category"] not in SKIP]


def hm(minutes: float) -> str:
    h, m = divmod(round(minutes), 60)
    return f"{minutes} min = {h}h{m:02d} = {minutes / 60:.2f} h"


def ranked(rows: list[dict], label: str) -> None:
    print(f"-- {label}")
    for r in rows:
        by = f" — {r['by']}" if r.get("by") else ""
        print(f"   #{r['rank']} {r['name']}{by}: {hm(r['minutes'])}, {r['plays']} plays")


def day_sheet(d: dict, day: dict, full_log: bool, year: bool = True) -> None:
    print(f"== {d['user_id']}  locale {d['locale']}  country {d['country']}  tz {d['timezone']}")
    print(f"== DAY {day['date']} ({day['weekday']})  {day['category']}")
    print(f"   headline: {day['headline']}")
    for k, v in day["facts"].items():
        print(f"   fact {k} = {v}")
    log = day["log"]
    print(
        f"   log: {len(log)} shown of {day['log_total']} (cap {day['log_cap']})"
        f"{'  COMPLETE' if len(log) == day['log_total'] else '  PARTIAL: day counts only from facts'}"
    )
    if log:
        print(
            f"   first play {log[0]['time']} {log[0]['kind']} {log[0]['title']!r} by {log[0]['by']}"
        )
        print(
            f"   last play  {log[-1]['time']} {log[-1]['kind']} {log[-1]['title']!r} by {log[-1]['by']}"
        )
        amin: dict[str, float] = defaultdict(float)
        aplays: Counter[str] = Counter()
        tmin: dict[tuple[str, str], float] = defaultdict(float)
        tplays: Counter[tuple[str, str]] = Counter()
        kinds: Counter[str] = Counter()
        genres: dict[str, float] = defaultdict(float)
        skipped = sum(1 for e in log if e.get("skipped"))
        new = sorted({e["by"] for e in log if e.get("new_artist")})
        years = [e["release_year"] for e in log if e.get("release_year")]
        for e in log:
            kinds[e["kind"]] += 1
            amin[e["by"]] += e["minutes"]
            aplays[e["by"]] += 1
            tmin[(e["title"], e["by"])] += e["minutes"]
            tplays[(e["title"], e["by"])] += 1
            if e.get("genre"):
                genres[e["genre"]] += e["minutes"]
        print(
            f"   kinds in log: {dict(kinds)}; skipped {skipped}; log minutes {sum(e['minutes'] for e in log):.1f}"
        )
        if new:
            print(f"   new artists in log: {new}")
        if years:
            print(f"   release years in log: {min(years)}..{max(years)}")
        print("-- day artists/shows in log (minutes, plays)")
        for a, m in sorted(amin.items(), key=lambda x: (-x[1], x[0] or "")):
            print(f"   {a}: {m:.1f} min, {aplays[a]} plays")
        print("-- day tracks/episodes in log (minutes, plays), top 12 by plays")
        for (t, a), n in sorted(tplays.items(), key=lambda x: (-x[1], -tmin[x[0]]))[:12]:
            print(f"   {t!r} — {a}: {tmin[(t, a)]:.1f} min, {n} plays")
        if genres:
            print(
                "-- day genres in log: "
                + ", ".join(f"{g} {m:.0f}" for g, m in sorted(genres.items(), key=lambda x: -x[1]))
            )
        if full_log:
            for e in log:
                print(
                    f"   {e['time']} {e['kind'][:2]} {e['title']!r} — {e['by']} {e['minutes']} "
                    f"{'SKIP' if e.get('skipped') else ''}{' NEW' if e.get('new_artist') else ''}"
                )
    others = [f"{x['date']} {x['weekday']} {x['category']}" for x in d["days"] if x is not day]
    print(f"-- other interesting days: {others}")
    if year:
        year_sheet(d)


def year_sheet(d: dict) -> None:
    t = d["totals"]
    w = d["window"]
    print(
        f"== YEAR {w['year']} ({w['start']}..{w['end']})  estimated share {t['minutes_estimated']}"
    )
    for k in ("all", "music", "podcast", "audiobook"):
        print(f"   {k}: {hm(t[k]['minutes'])}, {t[k]['plays']} plays")
    print(
        f"   distinct tracks {t['distinct_tracks']}, artists {t['distinct_artists']}, albums "
        f"{t['distinct_albums']}, shows {t['distinct_shows']}, episodes {t['distinct_episodes']}; "
        f"listening days {t['listening_days']}"
    )
    ranked(d["top_artists"], "top artists by minutes")
    ranked(d.get("top_artists_by_plays", []), "top artists by plays")
    ranked(d["top_tracks"], "top tracks by minutes")
    ranked(d.get("top_tracks_by_plays", []), "top tracks by plays")
    ranked(d["top_albums"][:5], "top albums (5)")
    ranked(d["top_genres"][:5], "top genres (5)")
    ranked(d["top_podcasts"][:3], "top podcasts (3)")
    print(
        "-- months: "
        + "; ".join(f"{m['name']} {m['minutes']} ({m['top_artist']})" for m in d["months"])
    )
    print(
        "-- peak months: "
        + "; ".join(f"{p['artist']} {p['name']} {p['minutes']}" for p in d["peak_months"])
    )
    print(f"-- streak {d['streak']}; artist streak {d['artist_streak']}")
    print(f"-- habits {d['habits']}")
    print(f"-- discovery {d['discovery']}")
    c = d["clock"]
    print(
        f"-- clock: busiest weekday {c['busiest_weekday']}, peak hour {c['peak_hour']}, top part "
        f"{c['top_part_of_day']}, parts {c['minutes_by_part']}"
    )
    print(
        f"   weekday minutes {dict(zip(('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'), c['minutes_by_weekday'], strict=True))}"
    )
    n = d["nostalgia"]
    print(
        f"-- nostalgia: top decade {n['top_decade']}, median year {n['median_release_year']}, decades {n['minutes_by_decade']}"
    )
    p = d["personality"]
    print(f"-- personality: {p['label']}")
    for a in p["axes"]:
        print(f"   {a['name']}: {a['leaning']} ({a['score']}) — {a['explanation']}")
    co = d["cohort"]
    print(
        f"-- cohort: {co['country']} tier {co['tier']} activity {co['activity_band']} top genre {co['top_genre']}"
    )


def main() -> None:
    ls = listeners()
    if len(sys.argv) == 2:
        d = ls[sys.argv[1]]
        for day in usable_days(d):
            day_sheet(d, day, False, year=False)
        year_sheet(d)
        return
    if len(sys.argv) < 3:
        for uid, d in ls.items():
            days = ", ".join(
                f"{x['date']} {x['weekday'][:3]} {x['category']}" for x in usable_days(d)
            )
            top = d["top_artists"][0]["name"] if d["top_artists"] else "-"
            print(f"{uid} {d['locale']} {d['country']} top={top!r}: {days}")
        return
    d = ls[sys.argv[1]]
    day = next(x for x in d["days"] if x["date"] == sys.argv[2])
    day_sheet(d, day, "--log" in sys.argv)


if __name__ == "__main__":
    main()
