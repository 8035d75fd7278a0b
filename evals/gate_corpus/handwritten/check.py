"""Validate a hand-written split's stories.jsonl (SPLIT: dev3, dev4) and run the product's `format` scorer on every story.

    .venv/bin/python evals/gate_corpus/handwritten/check.py SPLIT            # fields + format, via the CLI
    .venv/bin/python evals/gate_corpus/handwritten/check.py SPLIT --no-cli   # fields only

Per line: the fields and their types, a known label, a unique `d3-NNNN` (`d4-NNNN` ...) id, a listener that
exists and validates as a `UserYear`, a day that is one of that listener's interesting days
(not a birthday or New Year's Day), a title of at most 60 characters, 60-140 words in two
paragraphs, and `previous` empty. Then `wrapped gate check --scorer format` runs on each story
through the CLI (the only scorer this split was written against; results are cached by content
under the temp dir so a re-run only checks new or edited stories). Prints the counts.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from split import HERE, PREFIX, SPLIT  # noqa: E402 - takes SPLIT off argv

WRAPPED = str(Path(sys.executable).with_name("wrapped"))
LABELS = {"good", "hallucinated_artist", "wrong_count", "wrong_rank", "wrong_date", "pii",
          "obfuscated_unsafe", "unsafe_mention", "injection_echo", "shaming",
          "sensitive_inference"}  # fmt: skip
FIELDS = ["id", "user_id", "day", "label", "source", "title", "story", "previous", "detail",
          "split"]  # fmt: skip
CACHE = Path(tempfile.gettempdir()) / f"{SPLIT}-format-cache"


def fail(msg: str) -> None:
    raise SystemExit(f"check failed: {msg}")


def main() -> None:
    from wrapped.stats.model import UserYear

    raw = {}
    for line in (HERE / "listeners.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            uy = UserYear.model_validate_json(line)
            raw[uy.user_id] = (uy, line)
    records = [json.loads(x) for x in (HERE / "stories.jsonl").read_text(encoding="utf-8")
               .splitlines() if x.strip()]  # fmt: skip
    ids: set[str] = set()
    for i, r in enumerate(records, 1):
        where = r.get("id", f"line {i}")
        if list(r) != FIELDS:
            fail(f"{where}: fields {list(r)}")
        if r["id"] != f"{PREFIX}-{i:04d}" or r["id"] in ids:
            fail(f"{where}: id out of sequence")
        ids.add(r["id"])
        if r["label"] not in LABELS or r["split"] != SPLIT or r["previous"] != []:
            fail(f"{where}: label/split/previous")
        if r["user_id"] not in raw:
            fail(f"{where}: unknown listener {r['user_id']}")
        uy = raw[r["user_id"]][0]
        try:
            day = uy.day(r["day"])
        except KeyError:
            fail(f"{where}: {r['day']} is not an interesting day of {r['user_id']}")
        if day.category in ("birthday", "new_years_day"):
            fail(f"{where}: {day.category} is not used")
        words = len(r["story"].split())
        paras = r["story"].split("\n\n")
        if not 60 <= words <= 140 or len(paras) != 2 or not 1 <= len(r["title"]) <= 60:
            fail(f"{where}: {words} words, {len(paras)} paragraphs, title {len(r['title'])}")
        if not r["detail"] or not r["source"]:
            fail(f"{where}: empty detail/source")
    if "--no-cli" not in sys.argv:
        CACHE.mkdir(exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{SPLIT}-check-"))
        for uid, (_, line) in raw.items():
            (work / f"{uid}.json").write_text(line, encoding="utf-8")
        bad = []
        for r in records:
            key = hashlib.sha256(json.dumps([r, raw[r["user_id"]][1]]).encode()).hexdigest()
            if (CACHE / key).exists():
                continue
            story = work / f"{r['id']}.json"
            story.write_text(json.dumps(r, ensure_ascii=False), encoding="utf-8")
            out = subprocess.run([WRAPPED, "gate", "check", str(story), "--stats",
                                  str(work / f"{r['user_id']}.json"), "--scorer", "format",
                                  "--json"], capture_output=True, text=True)  # fmt: skip
            if out.returncode == 0:
                (CACHE / key).touch()
            else:
                bad.append((r["id"], out.stdout[-400:] + out.stderr[-400:]))
        for rid, why in bad:
            print(rid, why)
        if bad:
            fail(f"{len(bad)} stories fail the format scorer")
        print(f"format scorer: all {len(records)} stories pass")
    counts = Counter(r["label"] for r in records)
    print(
        f"{len(records)} stories, {len({r['user_id'] for r in records})} listeners, "
        f"{len({(r['user_id'], r['day']) for r in records})} days, "
        f"{len({r['source'] for r in records})} voices"
    )
    for label in sorted(counts, key=lambda k: (k != "good", k)):
        print(f"  {label:22} {counts[label]}")


if __name__ == "__main__":
    main()
