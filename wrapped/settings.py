"""One `Settings` object for the whole pipeline.

Filled from CLI options (highest), then `WRAPPED_*` environment variables, then an optional
TOML config file (`WRAPPED_CONFIG` or `--config`), then defaults. The standard `OPENAI_API_KEY`
and `OPENAI_BASE_URL` are honoured. Secrets are `SecretStr`: they never print, log or serialize
(see `public_dump`).
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from wrapped.errors import ConfigError

DEFAULT_SALT = "wrapped-default-salt-change-me"
#: a run id: one folder name (see Settings._one_folder)
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

#: USD per 1M tokens (prompt, completion). Unknown models cost 0 and say so in the manifest.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "scripted": (0.15, 0.60),
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WRAPPED_", extra="forbid", validate_default=True, populate_by_name=True
    )

    # privacy
    salt: SecretStr = Field(
        default=SecretStr(DEFAULT_SALT),
        description="secret key for pseudonymizing user ids (set WRAPPED_SALT in production)",
    )

    # ingest: what a plausible play is, and limits that hold on hostile uploads (each crossing
    # is a one-line error naming the file or member, never a run out of memory or disk)
    earliest_play: date = Field(
        default=date(2000, 1, 1),
        description="plays before this date are rejected as implausible (broken clocks, 1970)",
    )
    max_files: int = Field(default=100_000, ge=1, description="input files per ingest")
    max_expanded_bytes: int = Field(
        default=8 * 2**30,
        ge=1,
        description="bytes one zip archive may expand to, nested zips included",
    )
    max_zip_ratio: float = Field(
        default=200.0,
        gt=1,
        description="expanded/compressed size above which a zip member over 1 MiB is refused "
        "(real exports compress ~10-30x; zip bombs ~1000x)",
    )
    max_zip_depth: int = Field(default=3, ge=0, description="zips nested inside zips")
    max_record_bytes: int = Field(
        default=1 * 2**20,
        ge=1024,
        description="bytes of one record (a JSON array element, a JSONL line, a CSV or Parquet "
        "row's text); a bigger record is a counted reject",
    )
    max_json_depth: int = Field(
        default=64,
        ge=4,
        le=500,  # Python's own parser stops near 1,000 levels: the limit must bind first
        description="levels one JSON record may nest (Spotify records are 1 deep, ListenBrainz "
        "listens ~5); a deeper record stops ingest, naming the file and the record",
    )
    max_rejects_written: int = Field(
        default=10_000,
        ge=0,
        description="rejects.jsonl keeps the first this many rejects of each reason; every "
        "reject is still counted in ingest_report.json",
    )
    max_name_chars: int = Field(
        default=500,
        ge=16,
        description="characters a name (track, artist, album, show, episode) keeps; longer "
        "names are cut with a marker and counted",
    )

    # stats
    year: int | None = Field(default=None, ge=1900, le=2100, description="the year to review")
    full_year: bool = False
    tz: str | None = Field(default=None, description="override every listener's time zone")
    top_k: int = Field(default=5, ge=1, le=100, description="length of every top list")
    log_cap: int = 40
    max_days: int = 5
    min_plays: int = 20
    min_minutes: int = 60
    stats_workers: int = Field(
        default=2,
        ge=1,
        description="processes (cores) the stats stage may use: with 2 or more, a helper thread "
        "speeds up preparing the events and forked helper processes compute the numbers of the "
        "next chunks of listeners while this process makes the models; 1 = one thread only",
    )

    # writer / LLM
    backend: Literal["embedded", "openai", "local", "scripted"] = "embedded"
    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("WRAPPED_BASE_URL", "OPENAI_BASE_URL", "base_url"),
    )
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("WRAPPED_API_KEY", "OPENAI_API_KEY", "api_key")
    )
    model: str = "gpt-4o-mini"
    temperature: float = Field(default=0.8, ge=0.0, le=2.0)
    max_tokens: int = Field(default=600, ge=1)
    structured_output: Literal["json_schema", "json_object", "prompt"] = "json_schema"
    timeout_s: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=6, ge=1)
    max_retry_s: float = Field(default=300.0, ge=0)
    backoff_initial_s: float = Field(default=0.5, ge=0)
    backoff_max_s: float = Field(default=30.0, ge=0)
    rpm: int | None = Field(default=None, ge=1)
    tpm: int | None = Field(default=None, ge=1)
    concurrency: int = Field(default=16, ge=1)
    outage_after: int = Field(
        default=3,
        ge=1,
        description="calls in a row that run out of retries (unreachable, timeouts, 429, 5xx), "
        "with none getting through, before a batch run stops as an outage (resumable) instead "
        "of storing fallback stories",
    )
    cache: bool = True
    cache_path: Path | None = None
    prices: dict[str, tuple[float, float]] = Field(default_factory=lambda: dict(DEFAULT_PRICES))

    # prompts
    prompt_version: str = "v1"
    prompts_dir: Path | None = None
    log_token_budget: int = Field(default=1200, ge=0)

    # gate
    judge: bool = True
    judge_model: str | None = None
    judge_base_url: str | None = None
    judge_api_key: SecretStr | None = None
    gate_max_attempts: int = Field(default=3, ge=1)
    on_gate_fail: Literal["fallback", "needs_review"] = "fallback"
    judge_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    judge_suite: Literal["panel", "full"] = Field(
        default="panel",
        description="panel: one judge call scores every criterion (judge.j2); full: deepeval's "
        "G-Eval rubrics + Toxicity/Bias/PII, about 11 calls per draft",
    )

    # batch
    ray_address: str | None = Field(
        default=None,
        validation_alias=AliasChoices("WRAPPED_RAY_ADDRESS", "RAY_ADDRESS", "ray_address"),
    )
    shard_size: int = Field(
        default=100, ge=1, description="listeners per shard (the unit of atomic output)"
    )
    workers: int | None = Field(
        default=None, ge=1, description="Ray actors; default: the cluster's CPUs"
    )
    batch_size: int = Field(default=8, ge=1, description="listeners per Ray call")
    run_id: str | None = None
    max_failure_rate: float = Field(default=0.05, ge=0.0, le=1.0)
    progress_every_s: float = Field(
        default=30.0, gt=0, description="seconds between progress lines when not on a terminal"
    )
    seed: int = 0

    @field_validator("base_url", "judge_base_url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        """'localhost:8000/v1' (no scheme) reached the SDK, which failed on every call; the
        run then spent its retry budget per story and stored fallbacks."""
        if v is not None:
            parts = urlsplit(v)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("an http(s) URL is needed, like http://127.0.0.1:8000/v1")
        return v

    @field_validator("run_id")
    @classmethod
    def _one_folder(cls, v: str | None) -> str | None:
        """A run id names one folder inside --out: with '/' or '..' a run would land outside
        it, where neither a resume nor `wrapped erase --runs` would look."""
        if v is not None and not _RUN_ID.fullmatch(v):
            raise ValueError(
                "a run id is one folder name: letters, digits, '.', '_' and '-', "
                "starting with a letter or digit, at most 100 characters"
            )
        return v

    def public_dump(self) -> dict[str, Any]:
        """Settings for manifests and logs: secrets replaced by whether they are set."""
        data = self.model_dump(mode="json", exclude={"salt", "api_key", "judge_api_key"})
        data["salt_set"] = self.salt.get_secret_value() != DEFAULT_SALT
        data["api_key_set"] = self.api_key is not None
        data["judge_api_key_set"] = self.judge_api_key is not None
        return data

    def resolved_prompts_dir(self) -> Path:
        """The prompts folder: configured, else the repo's `prompts/`, else the packaged copy."""
        if self.prompts_dir is not None:
            return Path(self.prompts_dir)
        here = Path(__file__).resolve().parent
        for candidate in (here.parent / "prompts", Path.cwd() / "prompts"):
            if candidate.is_dir():
                return candidate
        raise ConfigError(
            "cannot find the prompts folder: pass --prompts-dir or set WRAPPED_PROMPTS_DIR"
        )


def load_settings(config: Path | str | None = None, **overrides: Any) -> Settings:
    """Build Settings from overrides (CLI), env and an optional TOML file; one clear error."""
    file_values: dict[str, Any] = {}
    path = config or os.environ.get("WRAPPED_CONFIG")
    if path:
        p = Path(path)
        try:
            file_values = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{p}: config file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{p}: not valid TOML ({exc})") from None
        file_values = file_values.get("wrapped", file_values)
    # Precedence: explicit overrides > WRAPPED_* env > config file > defaults. Init kwargs beat
    # env in pydantic-settings, so file values that the environment also sets are dropped here.
    env_set = {k for k in Settings.model_fields if f"WRAPPED_{k.upper()}" in os.environ}
    values = {k: v for k, v in file_values.items() if k not in env_set}
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        # the value is echoed only when short: a key pasted into the wrong setting stays unseen
        got = err.get("input")
        short = isinstance(got, int | float) or (isinstance(got, str) and len(got) <= 16)
        shown = f" (got {got!r})" if short else ""
        msg = err["msg"].removeprefix("Value error, ")
        raise ConfigError(f"setting '{loc}': {msg}{shown}") from None


#: deepeval reads these at import (FACTS.md): no telemetry (12 DNS lookups and a ~7 s delay at
#: exit otherwise), no `input()` after a run on a TTY, no `.env` read from the current folder.
#: They are forced, whatever the environment says: the judge must stay offline.
DEEPEVAL_OFFLINE_ENV: dict[str, str] = {
    "DEEPEVAL_TELEMETRY_OPT_OUT": "1",
    "DEEPEVAL_NO_INSPECT_PROMPT": "1",
    "DEEPEVAL_DISABLE_DOTENV": "1",
}
#: deepeval's noise, turned down unless the environment already says otherwise
DEEPEVAL_QUIET_ENV: dict[str, str] = {
    "DEEPEVAL_GRPC_LOGGING": "0",
    "DEEPEVAL_UPDATE_WARNING_OPT_IN": "0",
    "ERROR_REPORTING": "NO",
}


def deepeval_offline_env(cache_folder: Path | str | None = None) -> dict[str, str]:
    """The environment variables to set before deepeval is imported, so it stays offline and
    quiet and keeps its files in `cache_folder` (when given) instead of the current folder.

    The one place this is decided, for the judge, the batch workers, the tests and the
    benchmarks: `os.environ.update(deepeval_offline_env(run_dir / ".deepeval"))`, or
    `{**os.environ, **deepeval_offline_env()}` for a subprocess."""
    env = {k: v for k, v in DEEPEVAL_QUIET_ENV.items() if k not in os.environ}
    env.update(DEEPEVAL_OFFLINE_ENV)
    if cache_folder is not None:
        env["DEEPEVAL_CACHE_FOLDER"] = str(cache_folder)
    return env
