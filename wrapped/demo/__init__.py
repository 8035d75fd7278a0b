"""Seeded demo data: canonical events at any size, and the bundled sample in real export formats."""

from __future__ import annotations

from wrapped.demo.canonical import DemoData, generate_canonical
from wrapped.demo.sample import write_sample

__all__ = ["DemoData", "generate_canonical", "write_sample"]
