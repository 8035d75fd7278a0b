"""Assemble a hand-written split's stories.jsonl (SPLIT: dev3, dev4) from the hand-written batch files (batch_*.txt).

    .venv/bin/python evals/gate_corpus/handwritten/assemble.py SPLIT

The stories were typed by hand into plain-text batches, one story per block:

    ### L03 2024-03-14 good radio_dj
    T: the title
    D: what the story claims (good) or what was planted (defect)
    first paragraph, on one line

    second paragraph, on one line

`L03` is the third line of listeners.jsonl (short aliases keep the typing honest). Ids run
d3-0001... (d4-0001 ...) in batch order; nothing in a story is generated or rewritten here.
"""

from __future__ import annotations

import json
from pathlib import Path

from split import HERE, PREFIX, SPLIT  # noqa: E402 - takes SPLIT off argv


def aliases() -> dict[str, str]:
    lines = (HERE / "listeners.jsonl").read_text(encoding="utf-8").splitlines()
    return {f"L{i:02d}": json.loads(x)["user_id"] for i, x in enumerate(lines, 1) if x.strip()}


def parse(path: Path, users: dict[str, str]) -> list[dict]:
    out = []
    for block in ("\n" + path.read_text(encoding="utf-8")).split("\n### ")[1:]:
        head, *rest = block.split("\n")
        alias, day, label, source = head.split()
        title = detail = None
        body: list[str] = []
        for line in rest:
            if title is None and line.startswith("T: "):
                title = line[3:].strip()
            elif detail is None and line.startswith("D: "):
                detail = line[3:].strip()
            else:
                body.append(line)
        paras = [p.strip() for p in "\n".join(body).strip().split("\n\n") if p.strip()]
        if title is None or detail is None or not paras:
            raise SystemExit(f"{path.name}: incomplete block {head!r}")
        out.append({"user_id": users[alias], "day": day, "label": label, "source": source,
                    "title": title, "story": "\n\n".join(" ".join(p.split()) for p in paras),
                    "previous": [], "detail": detail, "split": SPLIT})  # fmt: skip
    return out


def main() -> None:
    users = aliases()
    records: list[dict] = []
    for path in sorted(HERE.glob("batch_*.txt")):
        records += parse(path, users)
    lines = []
    for i, r in enumerate(records, 1):
        lines.append(json.dumps({"id": f"{PREFIX}-{i:04d}", **r}, ensure_ascii=False))
    (HERE / "stories.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} stories -> {HERE / 'stories.jsonl'}")


if __name__ == "__main__":
    main()
