"""Re-export of `wrapped.llm.local` (the local llama.cpp backend) under the writer package."""

from __future__ import annotations

from wrapped.llm.local import LocalBackend, LocalServer, find_gguf, make_local_backend

__all__ = ["LocalBackend", "LocalServer", "find_gguf", "make_local_backend"]
