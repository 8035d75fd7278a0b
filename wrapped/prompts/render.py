"""Render a prompt version into the exact messages for one story.

Sandboxed Jinja with `StrictUndefined`: a template can neither reach Python internals nor
silently print an empty string for a misspelt variable. Templates see only values we computed
(category, counts, the spelling family) plus one string, the data block; listener text never
reaches the instructions. Same request + same files -> the same bytes.
"""

from __future__ import annotations

import os
import threading
import traceback
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from wrapped.errors import TemplateError
from wrapped.prompts.datablock import DataBlock, build_data_block, dumps
from wrapped.prompts.locale import spelling_family
from wrapped.prompts.versions import PromptVersion, load_version, pin_version
from wrapped.settings import Settings
from wrapped.story import Draft, Message, PromptPair, StoryRequest

_ENVS: dict[tuple[str, str], SandboxedEnvironment] = {}
_LOCK = threading.Lock()


def _environment(version: PromptVersion) -> SandboxedEnvironment:
    """One sandboxed environment per (folder, hash): an edited file gets a fresh one."""
    key = (os.path.abspath(version.path), version.hash)  # not resolve(): it stats every part
    with _LOCK:
        env = _ENVS.get(key)
        if env is None:
            env = SandboxedEnvironment(
                loader=jinja2.FileSystemLoader(str(version.path), encoding="utf-8"),
                undefined=jinja2.StrictUndefined,
                autoescape=False,
                keep_trailing_newline=False,
                trim_blocks=True,
                lstrip_blocks=True,
                auto_reload=False,
            )
            _ENVS[key] = env
        return env


def pin_prompts(settings: Settings, *, expect_hash: str | None = None) -> PromptVersion:
    """Fix `settings.prompt_version` for this process's lifetime, templates compiled now.

    A batch worker calls this once: its stories then all use the files as they were when the
    run was planned (`expect_hash`), even if someone edits the folder mid-run, including a
    template not yet rendered (all are loaded here, and the environment never reloads)."""
    version = pin_version(settings.prompt_version, settings, expect_hash=expect_hash)
    env = _environment(version)
    for name in version.files:
        if name.endswith(".j2"):
            try:
                env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:  # worded as a render's would be
                raise _template_error(exc, version, name) from None
    return version


def _template_error(exc: Exception, version: PromptVersion, name: str) -> TemplateError:
    """A Jinja failure worded the same wherever it surfaces: file:line, then what went wrong."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"{_where(exc, version, name)}: syntax error: {exc.message}")
    message = getattr(exc, "message", None) or str(exc)
    return TemplateError(f"{_where(exc, version, name)}: {type(exc).__name__}: {message}")


def _where(exc: BaseException, version: PromptVersion, name: str) -> str:
    """'path/to/file.j2:LINE' for an error raised while rendering (Jinja maps frames to lines)."""
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if lineno is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                filename, lineno = frame.filename, frame.lineno
                break
    filename = filename or str(version.path / name)
    if not str(filename).startswith("/"):
        filename = str(version.path / filename)
    return f"{filename}:{lineno}" if lineno else str(filename)


def render_template(version: PromptVersion, name: str, context: dict[str, Any]) -> str:
    """Render one file of a version; any failure becomes a `TemplateError` naming file and line."""
    env = _environment(version)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"{version.path}: template not found: {exc.name}") from None
    except Exception as exc:  # syntax, UndefinedError, SecurityError, a filter's TypeError, ...
        raise _template_error(exc, version, name) from None


def _common(
    request: StoryRequest, settings: Settings, block: DataBlock | None
) -> tuple[PromptVersion, dict[str, Any]]:
    version = load_version(settings.prompt_version, settings)
    if block is None:
        block = build_data_block(request, budget_tokens=settings.log_token_budget)
    context = {
        "category": block.category,
        "spelling": spelling_family(block.locale),
        "log_shown": block.log_shown,
        "log_total": block.log_total,
        "log_cut": block.log_cut,
        "log_withheld": block.log_withheld,
        "other_days": len(request.user_year.days) - 1,
        "previous_count": len(request.previous),
        "feedback_count": len(request.feedback),
        "attempt": request.attempt,
        "data_block": block.text,
        "output_schema": version.meta.output_schema,
    }
    return version, context


def render(
    request: StoryRequest, *, settings: Settings, block: DataBlock | None = None
) -> PromptPair:
    """The (system, user) messages for one story, from `settings.prompt_version`.

    `block` is the request's data block when the caller built it already (the generate stage
    builds it once per attempt, from the listener's shared base, for the writer's prompt and
    the judge's); else it is built here."""
    version, context = _common(request, settings, block)
    system = render_template(version, "system.j2", context).strip() + "\n"
    user = render_template(version, "user.j2", context).strip() + "\n"
    return PromptPair(
        messages=[Message(role="system", content=system), Message(role="user", content=user)],
        version=version.name,
        version_hash=version.hash,
        params=dict(version.meta.params),
    )


def render_judge(
    draft: Draft, request: StoryRequest, *, settings: Settings, block: DataBlock | None = None
) -> PromptPair:
    """The (system, user) messages asking a judge model to score `draft` (judge.j2's two macros).

    The draft is untrusted too (a model wrote it from untrusted data), so it travels as JSON in
    its own `<draft>` block with `<` escaped, exactly like the data block. `block` as in
    `render`.
    """
    version, context = _common(request, settings, block)
    context["draft_block"] = "<draft>\n" + dumps(draft.model_dump(mode="json")) + "\n</draft>"
    env = _environment(version)
    try:
        module = env.get_template("judge.j2").make_module(context)
        system, user = str(module.system()), str(module.user())  # type: ignore[attr-defined]
    except TemplateError:
        raise
    except Exception as exc:
        raise _template_error(exc, version, "judge.j2") from None
    return PromptPair(
        messages=[
            Message(role="system", content=system.strip() + "\n"),
            Message(role="user", content=user.strip() + "\n"),
        ],
        version=version.name,
        version_hash=version.hash,
        params={"temperature": 0.0, "max_tokens": 400},
    )


def format_messages(pair: PromptPair) -> str:
    """The messages as a human reads them (`wrapped prompts render`, golden files)."""
    head = f"# prompt {pair.version} ({pair.version_hash}) params={dumps(pair.params)}\n"
    parts = [f"===== {m.role} =====\n{m.content}" for m in pair.messages]
    return head + "\n".join(parts)
