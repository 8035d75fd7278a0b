"""The split a hand-written corpus script works on: the folder of `evals/gate_corpus` its first
argument names ("dev3", "dev4"), taken off `sys.argv` so the script reads its own options."""

from __future__ import annotations

import sys
from pathlib import Path

_CORPUS = Path(__file__).resolve().parents[1]
if len(sys.argv) < 2 or not (_CORPUS / sys.argv[1]).is_dir():
    sys.exit(f"usage: {Path(sys.argv[0]).name} SPLIT [...]   (SPLIT: a folder of {_CORPUS})")
SPLIT = sys.argv.pop(1)
HERE = _CORPUS / SPLIT
PREFIX = "d" + SPLIT.removeprefix("dev")  # story ids: d3-0001 ...
