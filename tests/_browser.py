"""A real headless Chromium for the tests of our web pages (reports and the review tool).

Debian's `chromium` package (installed by `scripts/install-chromium`, which the README's test
command runs) driven by Playwright through `executable_path` — Playwright's own browser download
is never used. `Page` records console errors, page errors and dialogs, so a test can assert that
a report has none and that a hostile title opened no `alert()`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("WRAPPED_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
"""Screenshots written by browser tests (kept out of git; CI can upload the folder)."""


@dataclass
class Seen:
    """What the browser reported while a page was open."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """A Playwright Chromium browser for one test module (skipped when Chromium is absent).

    Module-scoped, not session-scoped: while Playwright's sync API is running it owns an
    asyncio loop in this thread, so every later `asyncio.run()` in the session would fail
    ("cannot be called from a running event loop"). Starting Chromium costs about a second.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (run scripts/install-chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield browser
        finally:
            browser.close()


def watch(page: object) -> Seen:
    """Record `page`'s console errors, uncaught errors and dialogs (dialogs are dismissed)."""
    seen = Seen()
    page.on(  # type: ignore[attr-defined]
        "console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))  # type: ignore[attr-defined]

    def _dialog(d: object) -> None:
        seen.dialogs.append(d.message)  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", _dialog)  # type: ignore[attr-defined]
    return seen


def screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot as a test artifact and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
