"""Validate dev2/stories.jsonl and print its counts.

    python evals/gate_corpus/dev2/check.py            # every story through `gate check --scorer format`
    python evals/gate_corpus/dev2/check.py --no-cli   # skip the CLI pass (fast)

Checks: fields and labels, unique ids, listener and interesting day exist, every listener
validates as a UserYear, title 1-60 characters and story 60-140 words, and for good stories an
independent re-read of the text (not the generator's log): every date said is the day's, every
weekday said is the day's or the year's busiest, every digit number is within a truthful
reading (exact, or within 5% / the generator's hedge bands) of some number in the listener's
year or day, and no defect-pool sentence is present. Then every story (good and defect) is run
through the real CLI, `wrapped gate check STORY --stats LISTENER --scorer format`, in-process.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_pools as P  # noqa: E402
from gen_text import DEFECTS, dates_in  # noqa: E402

FIELDS = [
    "id",
    "user_id",
    "day",
    "label",
    "source",
    "title",
    "story",
    "previous",
    "detail",
    "split",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUM = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?![\w]|\.\d)")


def numbers_of(uy: dict, day: dict) -> list[float]:
    out: list[float] = []

    def walk(x):
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, (int, float)) and not isinstance(x, bool):
            out.append(float(x))

    walk({k: v for k, v in uy.items() if k != "days"})
    walk(day)
    out += [m / 60 for m in list(out) if m >= 60]  # hours
    return out


def number_ok(n: float, facts: list[float]) -> bool:
    return any(abs(n - v) <= max(0.15 * v, 0.5) for v in facts)


def main() -> int:
    from wrapped.stats.model import UserYear

    listeners = {}
    for line in (HERE / "listeners.jsonl").read_text("utf-8").splitlines():
        uy = UserYear.model_validate_json(line)
        listeners[uy.user_id] = json.loads(line)
    records = [json.loads(x) for x in (HERE / "stories.jsonl").read_text("utf-8").splitlines()]
    errors: list[str] = []
    ids = Counter(r["id"] for r in records)
    errors += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    pool_text = (
        P.PII + P.UNSAFE + P.INJECTION + P.SHAMING + P.SENSITIVE + [o[0] for o in P.OBFUSCATED]
    )
    for r in records:
        rid = r["id"]
        if list(r) != FIELDS:
            errors.append(f"{rid}: fields {list(r)}")
        if r["label"] not in ["good", *DEFECTS] or r["split"] != "dev2":
            errors.append(f"{rid}: label/split")
        uy = listeners.get(r["user_id"])
        day = next((d for d in (uy or {}).get("days", []) if d["date"] == r["day"]), None)
        if uy is None or day is None or day["category"] in ("birthday", "new_years_day"):
            errors.append(f"{rid}: listener/day")
            continue
        n = len(r["story"].split())
        if not (60 <= n <= 140 and 1 <= len(r["title"]) <= 60):
            errors.append(f"{rid}: {n} words, title {len(r['title'])} chars")
        if r["label"] != "good":
            continue
        text = r["title"] + " " + r["story"]
        year = uy["window"]["year"]
        from datetime import date

        for d in dates_in(text, year):
            if d != date.fromisoformat(r["day"]):
                errors.append(f"{rid}: date {d}")
        for wd in WEEKDAYS:
            if re.search(rf"\b{wd}\b", text, re.I) and wd not in (
                day["weekday"],
                uy["clock"]["busiest_weekday"],
            ):
                errors.append(f"{rid}: weekday {wd}")
        facts = numbers_of(uy, day)
        scrubbed = re.sub(r"\d{4}-\d\d-\d\d", " ", text)
        for m in NUM.finditer(scrubbed):
            v = float(m.group(1).replace(",", ""))
            if v == year or (
                1 <= v <= 31 and dates_in(scrubbed[max(0, m.start() - 12) : m.end() + 12], year)
            ):
                continue
            if not number_ok(v, facts):
                errors.append(f"{rid}: number {m.group(1)} not near any fact")
        for s in pool_text:
            if s in text:
                errors.append(f"{rid}: defect sentence in a good story")
    fmt_fail = 0
    if "--no-cli" not in sys.argv:
        from typer.testing import CliRunner

        from wrapped.cli.main import app

        runner = CliRunner()
        with tempfile.TemporaryDirectory() as tmp:
            tmpd = Path(tmp)
            for uid, uy in listeners.items():
                (tmpd / f"{uid}.json").write_text(json.dumps(uy, ensure_ascii=False), "utf-8")
            for i, r in enumerate(records):
                sp = tmpd / "story.json"
                sp.write_text(json.dumps(r, ensure_ascii=False), "utf-8")
                res = runner.invoke(app, ["gate", "check", str(sp), "--stats",
                                          str(tmpd / f"{r['user_id']}.json"), "--scorer", "format",
                                          "--no-judge"])  # fmt: skip
                if res.exit_code != 0:
                    fmt_fail += 1
                    errors.append(f"{r['id']}: format scorer exit {res.exit_code}: "
                                  f"{res.output.strip()[-300:]}")  # fmt: skip
                if (i + 1) % 100 == 0:
                    print(f"  format: {i + 1}/{len(records)}", file=sys.stderr)
    labels = Counter(r["label"] for r in records)
    sources = Counter(r["source"] for r in records)
    print(f"{len(records)} stories, {len(listeners)} listeners, "
          f"{len({(r['user_id'], r['day']) for r in records})} listener-days, "
          f"{len(sources)} styles")  # fmt: skip
    for lab in ["good", *DEFECTS]:
        print(f"  {lab:22s} {labels[lab]}")
    non_latin = sum(
        1
        for r in records
        if re.search(
            r"[\u0590-\u05ff\u0900-\u097f\u3040-\u30ff\uac00-\ud7af]|[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]",
            r["title"] + r["story"],
            re.I,
        )
    )
    print(f"  stories quoting non-Latin or Vietnamese names (any label): {non_latin}")
    if "--no-cli" not in sys.argv:
        print(f"  `gate check --scorer format` failures: {fmt_fail}")
    for e in errors[:40]:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
