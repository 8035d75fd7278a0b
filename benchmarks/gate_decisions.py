"""Every story's deterministic gate outcome, to prove a speed-up changed no decision.

    .venv/bin/python benchmarks/gate_decisions.py --split all --out /tmp/decisions.json
    diff /tmp/before.json /tmp/after.json      # must be empty

Per story id: each check's full dump (name, layer, status, score, reasons, claims), from the
first ("cold") pass and from a re-check with the same listener context ("warm"): a cache that
leaked state between stories or between passes would show up as a difference.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_gate import CORPUS, contexts, load, requests_for  # noqa: E402


def decisions(split: str, corpus: Path = CORPUS) -> dict[str, dict[str, list[dict]]]:
    """{"<n> <split>:<story id>": {"cold": [check dump...], "warm": [...]}} over `split`."""
    from wrapped.gate.policy import deterministic_checks

    _, listeners, records = load(corpus, split)
    items = requests_for(records, listeners)
    ctx = contexts()
    out: dict[str, dict[str, list[dict]]] = {}
    for phase in ("cold", "warm"):
        for i, (r, draft, req) in enumerate(items):
            checks = deterministic_checks(draft, req, ctx(req))
            key = f"{i:05d} {r['split']}:{r['id']}"  # ids repeat across files: keep each record
            out.setdefault(key, {})[phase] = [c.model_dump(mode="json") for c in checks]
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="dump every story's deterministic gate checks")
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = ap.parse_args(argv)
    result = decisions(args.split, args.corpus)
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(result)} stories -> {args.out}")


if __name__ == "__main__":
    main()
