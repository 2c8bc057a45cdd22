"""Typed, strict, frozen records. Field descriptions feed the published JSON Schema."""

from .common import Measure, Metric, Policy, Source
from .records import Case, CaseKind, Level, Practice, Record, Region, Status, Theme

__all__ = [
    "Case",
    "CaseKind",
    "Level",
    "Measure",
    "Metric",
    "Policy",
    "Practice",
    "Record",
    "Region",
    "Source",
    "Status",
    "Theme",
]
