"""The reviewers' local web app (`wrapped review serve`): Starlette, Jinja2 with autoescape,
one small script of our own for the keyboard. No build step, nothing fetched from elsewhere.

Security, because stories, titles and names were written by strangers and by an LLM:
- a random token in the printed URL is required once, then kept in an HttpOnly, SameSite=Strict
  cookie; without either the app answers 401;
- every label POST carries a CSRF token (a hidden field), else 403;
- everything is escaped by Jinja2's autoescape; a Content-Security-Policy allows scripts and
  styles from this app only (no inline script), so a `<script>` title is text, not code.
"""

from __future__ import annotations

import hmac
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wrapped.review.db import ReviewSet
from wrapped.review.highlight import segments
from wrapped.review.model import REASONS, RUBRICS, Label

STATIC = Path(__file__).with_name("static")
COOKIE = "wrapped_review"
NAME_COOKIE = "wrapped_reviewer"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; connect-src 'self'"
)
_NAME_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,40}$")


class _Headers:
    """Adds the security headers to every response (pure ASGI: no per-request task hop)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"no-store"),
                ]
            await send(message)

        await self.app(scope, receive, send_with)


def create_app(folder: Path, *, token: str, per_story: int = 2, blind: bool = True) -> Starlette:
    """The app for one review set; `token` is the secret in the printed URL."""
    rs = ReviewSet.open(folder)
    csrf = secrets.token_urlsafe(24)
    env = Environment(
        loader=PackageLoader("wrapped.review", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )

    def authed(request: Request) -> bool:
        got = request.cookies.get(COOKIE, "")
        return bool(got) and hmac.compare_digest(got, token)

    def reviewer(request: Request) -> str | None:
        name = unquote(request.cookies.get(NAME_COOKIE, ""))
        return name if _NAME_RE.match(name) and name.strip() else None

    def page(name: str, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(csrf=csrf, reasons=REASONS, **ctx))

    def refused() -> Response:
        return PlainTextResponse(
            "open the URL `wrapped review serve` printed (with its token)", 401
        )

    async def home(request: Request) -> Response:
        given = request.query_params.get("token")
        if given is not None:
            if not hmac.compare_digest(given, token):
                return refused()
            resp = RedirectResponse("/", status_code=303)
            resp.set_cookie(COOKIE, token, httponly=True, samesite="strict")
            return resp
        if not authed(request):
            return refused()
        who = reviewer(request)
        if who is None:
            return page("name.html", who=None)
        nxt = rs.next_for(who, per_story)
        if nxt is None:
            done, total = rs.progress(who)
            return page("done.html", who=who, done=done, total=total)
        return RedirectResponse(f"/story/{nxt}", status_code=303)

    async def set_name(request: Request) -> Response:
        if not authed(request):
            return refused()
        form = await _form(request)
        if not hmac.compare_digest(_one(form, "csrf"), csrf):
            return PlainTextResponse("missing or wrong CSRF token", 403)
        name = _one(form, "name").strip()
        if not _NAME_RE.match(name):
            return page("name.html", who=None, error="a name of 1 to 40 printable characters")
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(NAME_COOKIE, quote(name), httponly=True, samesite="strict")
        return resp

    async def story(request: Request) -> Response:
        if not authed(request):
            return refused()
        who = reviewer(request)
        if who is None:
            return RedirectResponse("/", status_code=303)
        row = rs.row(int(request.path_params["item"]))
        if row is None:
            return PlainTextResponse("no such story in this review set", 404)
        item = row.item
        mine = rs.label(row.id, who)
        segs, unplaced = segments(item.story, item.claims)
        done, total = rs.progress(who)
        return page(
            "story.html",
            who=who,
            row=row,
            item=item,
            claims=item.claims,
            segs=segs,
            unplaced=unplaced,
            label=mine,
            reveal=(mine is not None) or not blind,
            done=done,
            total=total,
            prev_id=rs.neighbour(row.position, -1),
            next_id=rs.neighbour(row.position, +1),
            queue=rs.window(row.position, who),
            rubrics=RUBRICS,
            saved=request.query_params.get("saved") == "1",
        )

    async def label(request: Request) -> Response:
        if not authed(request):
            return refused()
        form = await _form(request)
        if not hmac.compare_digest(_one(form, "csrf"), csrf):
            return PlainTextResponse("missing or wrong CSRF token", 403)
        who = reviewer(request)
        item_id = int(request.path_params["item"])
        if who is None or rs.row(item_id) is None:
            return PlainTextResponse("no reviewer name, or no such story", 400)
        verdict = _one(form, "verdict")
        reasons = [r for r in form.get("reason", []) if r in REASONS]
        if verdict not in ("approve", "reject") or (verdict == "reject" and not reasons):
            return PlainTextResponse("approve, or reject with at least one reason", 400)
        scores = {}
        for rubric in RUBRICS:
            raw = _one(form, f"score_{rubric}").strip()
            if raw.isdigit() and 1 <= int(raw) <= 5:
                scores[rubric] = int(raw)
        rs.save(
            Label(
                story_key=item_id,
                reviewer=who,
                verdict=verdict,
                reasons=reasons if verdict == "reject" else [],
                note=_one(form, "note")[:2000],
                scores=scores,
            )
        )
        return RedirectResponse(f"/story/{item_id}?saved=1", status_code=303)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("review.js", "review.css") or not authed(request):
            return refused()
        return FileResponse(STATIC / name)

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/reviewer", set_name, methods=["POST"]),
            Route("/story/{item:int}", story),
            Route("/story/{item:int}/label", label, methods=["POST"]),
            Route("/static/{name}", static),
            Route("/favicon.ico", lambda request: Response(status_code=204)),
        ]
    )
    app.add_middleware(_Headers)
    return app


async def _form(request: Request) -> dict[str, list[str]]:
    """A url-encoded form body (what the page's forms send), parsed by the stdlib."""
    body = await request.body()
    if len(body) > 65536:
        return {}
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def _one(form: dict[str, list[str]], key: str) -> str:
    values = form.get(key)
    return values[0] if values else ""
