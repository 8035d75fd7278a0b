"""Human review: stratified samples of stored stories, a local page that shows each story beside
its evidence, keyboard labels in SQLite, and the agreement figures that calibrate the judge."""

from wrapped.review.db import ReviewSet, registered_sets
from wrapped.review.model import REASONS, RUBRICS, Label, ReviewItem
from wrapped.review.report import Report, export, export_rows, report
from wrapped.review.sample import draw

__all__ = [
    "REASONS",
    "RUBRICS",
    "Label",
    "Report",
    "ReviewItem",
    "ReviewSet",
    "draw",
    "export",
    "export_rows",
    "registered_sets",
    "report",
]
