"""Ingest: listening-history exports in, canonical validated events out, private fields gone.

Readers for Spotify (extended and account data), ListenBrainz, Last.fm and our own canonical
tables, detected from content; privacy at the door (keyed-hash ids, private fields never read);
per-record rejects with reasons and counts that add up.
"""

from __future__ import annotations

from wrapped.ingest.model import FileReport, IngestReport, IngestResult, Reject, SkippedFile
from wrapped.ingest.pipeline import ingest
from wrapped.ingest.privacy import is_pseudonymous, pseudonymize
from wrapped.ingest.store import read_ingested, write_ingest

__all__ = [
    "FileReport",
    "IngestReport",
    "IngestResult",
    "Reject",
    "SkippedFile",
    "ingest",
    "is_pseudonymous",
    "pseudonymize",
    "read_ingested",
    "write_ingest",
]
