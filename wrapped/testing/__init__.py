"""Test doubles that speak real protocols: the scripted OpenAI-compatible server.

`ScriptedServer(Script(...))` serves /v1/chat/completions on 127.0.0.1 with scripted latency,
faults and planted story defects (see `wrapped.testing.script`); tests, benchmarks and fault
drills point the real client at `.base_url`.
"""

from __future__ import annotations

from wrapped.testing.engine import LogRecord
from wrapped.testing.harness import ScriptedServer, serve_forever
from wrapped.testing.script import DEFECTS, FAULTS, Defect, Fault, Rule, Script
from wrapped.testing.server import build_app

__all__ = [
    "DEFECTS",
    "FAULTS",
    "Defect",
    "Fault",
    "LogRecord",
    "Rule",
    "Script",
    "ScriptedServer",
    "build_app",
    "serve_forever",
]
