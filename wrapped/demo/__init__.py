"""Seeded demo data: canonical events at any size, and the bundled sample in real export formats."""

from __future__ import annotations

from wrapped.demo.canonical import DemoData, generate_canonical
from wrapped.demo.plant import Fault, parse_fault, plant
from wrapped.demo.sample import write_sample

__all__ = ["DemoData", "Fault", "generate_canonical", "parse_fault", "plant", "write_sample"]
