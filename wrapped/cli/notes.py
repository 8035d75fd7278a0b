"""Notes the commands print on stderr before they work: one wording, shared by every command."""

from __future__ import annotations

from rich.console import Console

from wrapped.settings import DEFAULT_SALT, Settings


def default_salt_note(settings: Settings, console: Console | None = None) -> None:
    """Say so when listener ids are pseudonymized with the built-in salt.

    Anyone who has the code has that salt, so the "pseudonymous" ids of real listeners could be
    recomputed from their account names. `ingest` makes the ids, `stats` and `generate` carry
    them into files: each says it, so no path to stored ids skips the warning."""
    if settings.salt.get_secret_value() != DEFAULT_SALT:
        return
    (console or Console(stderr=True)).print(
        "[yellow]note:[/] user ids are pseudonymized with the built-in salt; "
        "set WRAPPED_SALT to your own secret for real listeners' data",
        highlight=False,
        soft_wrap=True,
    )
