"""Planning a run: check the inputs and selection, name the run, pick listeners, cut shards.

(Loading the inputs and staging their stats on disk is `wrapped.batch.staging`.)

The run id is a hash of everything that changes the output (inputs, prompt version hash,
backend, model, selection, stats and gate settings), so re-running the same command finds the
same folder and resumes, while a different prompt version or model starts a new run.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from wrapped.errors import ConfigError, InputError
from wrapped.settings import Settings

#: settings that change what a run writes (part of the run id)
_IDENTITY_SETTINGS = (
    "year", "full_year", "tz", "top_k", "log_cap", "max_days", "min_plays", "min_minutes",
    "backend", "model", "temperature", "max_tokens", "structured_output", "prompt_version",
    "log_token_budget", "judge", "judge_model", "gate_max_attempts", "on_gate_fail",
    "judge_threshold", "judge_suite", "seed", "shard_size",
)  # fmt: skip


def fingerprint_paths(paths: Sequence[Path]) -> str:
    """sha256 over every input file's relative name and bytes (streams; big files are fine)."""
    h = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for f in files:
            h.update(str(f.relative_to(root) if root.is_dir() else f.name).encode())
            with f.open("rb") as fh:
                while block := fh.read(1 << 20):
                    h.update(block)
    return h.hexdigest()[:16]


def check_selection(users: int | None, sample: str | None) -> float | None:
    """Refuse an impossible --users/--sample before any work (they were checked only after
    ingest and stats, minutes into a big run); the --sample fraction, if it is one."""
    if users is not None and sample is not None:
        raise ConfigError("use --users or --sample, not both")
    if users is not None and users < 1:
        raise ConfigError("--users must be at least 1")
    if sample is None:
        return None
    try:
        frac = float(sample)
    except ValueError:
        if not Path(sample).is_file():
            raise ConfigError(
                f"--sample {sample}: neither a fraction nor a readable file of user ids"
            ) from None
        return None
    if not 0 < frac <= 1:
        raise ConfigError(f"--sample {sample}: a fraction must be in (0, 1]")
    return frac


def select_users(
    user_ids: list[str],
    *,
    users: int | None,
    sample: str | None,
    seed: int,
    salt: str | None = None,
) -> tuple[list[str], str]:
    """Apply --users N or --sample F (a fraction 0<F<=1, or a file of user ids: pseudonymous, or
    account names, which are pseudonymized with `salt` to match). Sorted output."""
    ids = sorted(user_ids)
    frac = check_selection(users, sample)
    if users is not None:
        return ids[:users], f"first:{users}"
    if sample is None:
        return ids, "all"
    if frac is not None:
        k = max(1, math.ceil(len(ids) * frac)) if ids else 0
        chosen = sorted(random.Random(seed).sample(ids, k))
        return chosen, f"sample:{frac}:{seed}"
    path = Path(sample)
    wanted = {
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    }
    if salt is not None:
        from wrapped.ingest import pseudonymize

        wanted |= {pseudonymize(w, salt) for w in wanted}
    chosen = [u for u in ids if u in wanted]
    digest = hashlib.sha256("\n".join(sorted(wanted)).encode()).hexdigest()[:8]
    return chosen, f"file:{digest}"


def make_run_id(
    settings: Settings, *, prompt_hash: str, input_fingerprint: str, selection: str
) -> str:
    ident: dict[str, Any] = {k: getattr(settings, k) for k in _IDENTITY_SETTINGS}
    ident.update(prompt_hash=prompt_hash, inputs=input_fingerprint, selection=selection)
    digest = hashlib.sha256(json.dumps(ident, sort_keys=True, default=str).encode()).hexdigest()[
        :10
    ]
    model = "".join(c if c.isalnum() or c in "-." else "-" for c in settings.model)[:32]
    backend = settings.backend if settings.backend != "openai" else model
    return f"{settings.prompt_version}-{backend}-{digest}"


def selection_key(users: int | None, sample: str | None, seed: int) -> str:
    """What --users/--sample selected, as part of the run id: a file of ids by its content."""
    if users is not None:
        return f"first:{users}"
    if sample is None:
        return "all"
    p = Path(sample)
    if p.is_file():
        return "file:" + fingerprint_paths([p])
    return f"sample:{sample}:{seed}"


def cut_shards(user_ids: list[str], shard_size: int) -> list[list[str]]:
    if shard_size < 1:
        raise ConfigError("shard size must be at least 1")
    return [user_ids[i : i + shard_size] for i in range(0, len(user_ids), shard_size)]


def batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def check_inputs(paths: Sequence[Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise InputError("no such file or folder", file=str(p))
        out.append(p)
    if not out:
        raise ConfigError("give at least one input file or folder")
    return out
