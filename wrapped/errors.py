"""The exception hierarchy.

Every error a user can cause or meet carries a one-line, user-facing message; the CLI turns it
into that line and an exit code at the edge only, so library callers still get typed exceptions.
"""

from __future__ import annotations


class WrappedError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(WrappedError):
    """Bad input data: names the file and, where known, the record and field."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        record: int | None = None,
        field: str | None = None,
    ) -> None:
        where = []
        if file is not None:
            where.append(str(file))
        if record is not None:
            where.append(f"record {record}")
        if field is not None:
            where.append(f"field '{field}'")
        full = f"{': '.join([', '.join(where)])}: {message}" if where else message
        super().__init__(full)
        self.file = file
        self.record = record
        self.field = field
        self.reason = message


class ConfigError(WrappedError):
    """The user's configuration is wrong (options, environment, config file)."""

    exit_code = 2


class TemplateError(ConfigError):
    """A prompt template failed to load or render; names the file and line."""


class LLMError(WrappedError):
    """Talking to the language model failed."""

    exit_code = 3


class LLMHTTPError(LLMError):
    """The endpoint answered with an HTTP error status."""

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class LLMAuthError(LLMHTTPError):
    """401/403: the key is wrong or lacks access. Never carries the key itself."""


class LLMOutputError(LLMError):
    """The model answered, but the output was invalid, cut off or filtered (retryable)."""


class LLMTimeoutError(LLMError):
    """The request did not finish in time (retryable)."""


class LLMOutageError(LLMError):
    """Calls keep running out of retries on failures of availability (unreachable, timeouts,
    429, 5xx) with no success in between: the endpoint is down or throttling the run, and no
    story is to blame. The gate does not turn it into fallback stories; the batch job stops,
    with what it finished stored, and a rerun resumes."""


#: HTTP statuses that say the configuration is wrong (bad request, key, access, model or
#: endpoint), not that one listener failed: no retry, fallback or other listener gets past them,
#: so the gate lets them through and the batch job stops on them with one line.
FATAL_HTTP_STATUSES: frozenset[int] = frozenset({400, 401, 403, 404})


def is_fatal(exc: BaseException) -> bool:
    """True for an error no retry or fallback can fix: a `ConfigError`, a rejected key, or
    an HTTP status in `FATAL_HTTP_STATUSES`. The caller must hear about it, not a reviewer."""
    if isinstance(exc, ConfigError | LLMAuthError):
        return True
    return isinstance(exc, LLMHTTPError) and exc.status in FATAL_HTTP_STATUSES


class GateError(WrappedError):
    """The gate could not run (not: a story failed the gate — that is data, a Verdict)."""


class BatchError(WrappedError):
    """The batch job failed as a whole (e.g. past the allowed failure rate)."""

    exit_code = 4


class Terminated(BaseException):  # noqa: N818 - a signal, like KeyboardInterrupt, not an error
    """SIGTERM (a scheduler stopping the job, `kill`): the batch job stops as for Ctrl-C.

    A BaseException, like KeyboardInterrupt, so no `except Exception` swallows it; not a
    KeyboardInterrupt, which the CLI framework would turn into a silent exit 130."""
