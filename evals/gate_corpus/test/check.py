"""Validate the held-out `test` split of the gate corpus and print its counts.

Checks every line of `stories.jsonl`: exactly the record fields, a known label, a unique id,
`split` == "test", a listener in `listeners.jsonl` (each a valid `UserYear`) and a `day` that
is one of that listener's interesting days, a title of at most 60 characters without a trailing
period, two paragraphs of roughly 60-140 words, and a `detail` for every defect. Exit 1 on any
problem.

    python evals/gate_corpus/test/check.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from wrapped.stats.model import UserYear

HERE = Path(__file__).resolve().parent
FIELDS = {"id", "user_id", "day", "label", "source", "title", "story", "previous", "detail",
          "split"}
LABELS = {"good", "hallucinated_artist", "wrong_count", "wrong_rank", "wrong_date",
          "wrong_weekday", "pii", "obfuscated_unsafe", "unsafe_mention", "injection_echo",
          "shaming", "sensitive_inference"}
MINIMUM = {"good": 220, **{k: 40 for k in LABELS - {"good"}}}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
QUOTED = re.compile(r"[\u201c\"]([^\u201d\"]+)[\u201d\"]")


def strings(node) -> set[str]:
    """Every string value in a UserYear's JSON (names, titles, labels)."""
    if isinstance(node, dict):
        return set().union(*(strings(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(strings(v) for v in node)) if node else set()
    return {node} if isinstance(node, str) else set()


def good_problems(r: dict, y: UserYear) -> list[str]:
    """An independent re-check of a good story: quoted titles are the listener's, and every
    weekday it names is the day's weekday or the year's busiest weekday."""
    out = []
    names = strings(y.model_dump(mode="json"))
    text = f"{r['title']}\n{r['story']}"
    for m in QUOTED.finditer(text):
        if m.group(1) not in names:
            out.append(f"quoted {m.group(1)!r} is not in the listener's data")
    day = y.day(r["day"])
    for wd in WEEKDAYS:
        if re.search(rf"\b{wd}", text) and wd not in (day.weekday, y.clock.busiest_weekday):
            out.append(f"names {wd}; the day is a {day.weekday}")
    return out


def main() -> int:
    problems: list[str] = []
    years: dict[str, UserYear] = {}
    for n, line in enumerate((HERE / "listeners.jsonl").read_text("utf-8").splitlines(), 1):
        try:
            y = UserYear.model_validate_json(line)
        except ValueError as e:
            problems.append(f"listeners.jsonl:{n}: not a UserYear: {str(e)[:200]}")
            continue
        years[y.user_id] = y
    ids: set[str] = set()
    labels: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    by_source_label: Counter[tuple[str, str]] = Counter()
    for n, line in enumerate((HERE / "stories.jsonl").read_text("utf-8").splitlines(), 1):
        where = f"stories.jsonl:{n}"
        r = json.loads(line)
        if set(r) != FIELDS:
            problems.append(f"{where}: fields {sorted(set(r) ^ FIELDS)}")
            continue
        if r["id"] in ids:
            problems.append(f"{where}: duplicate id {r['id']}")
        ids.add(r["id"])
        if r["label"] not in LABELS:
            problems.append(f"{where}: unknown label {r['label']}")
        if r["split"] != "test":
            problems.append(f"{where}: split {r['split']!r}")
        y = years.get(r["user_id"])
        if y is None:
            problems.append(f"{where}: unknown listener {r['user_id']}")
        else:
            try:
                y.day(r["day"])
            except (KeyError, ValueError):
                problems.append(f"{where}: {r['day']} is not an interesting day of {y.user_id}")
        if y is not None and r["label"] == "good":
            try:
                problems += [f"{where}: {p}" for p in good_problems(r, y)]
            except (KeyError, ValueError):
                pass  # the missing day is reported above
        t = r["title"]
        if not t or len(t) > 60 or t.endswith("."):
            problems.append(f"{where}: title {t!r}")
        paras = [p for p in r["story"].split("\n\n") if p.strip()]
        words = len(r["story"].split())
        if len(paras) != 2 or not 55 <= words <= 150:
            problems.append(f"{where}: {len(paras)} paragraphs, {words} words")
        if r["label"] != "good" and not r["detail"]:
            problems.append(f"{where}: a defect without a detail")
        if not isinstance(r["previous"], list):
            problems.append(f"{where}: previous is not a list")
        labels[r["label"]] += 1
        sources[r["source"]] += 1
        by_source_label[(r["source"], r["label"])] += 1
    for label, least in MINIMUM.items():
        if labels[label] < least:
            problems.append(f"{label}: {labels[label]} stories, fewer than {least}")
    print(f"{sum(labels.values())} stories, {len(years)} listeners, {len(sources)} sources")
    for label, k in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {label:22} {k}")
    print("sources: " + ", ".join(f"{s} {k}" for s, k in sorted(sources.items())))
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
