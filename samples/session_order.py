"""Ordering and picking the sessions of a training log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Session:
    date: dt.date
    exercise: str
    reps: int
    load_kg: float


def heaviest(sessions: list[Session]) -> Session:
    return max(sessions, key=lambda s: s.load_kg)


def latest(sessions: list[Session]) -> Session:
    return max(sessions, key=lambda s: s.date)


def by_load(sessions: list[Session]) -> list[Session]:
    return sorted(sessions, key=lambda s: s.load_kg, reverse=True)


def chronological(sessions: list[Session]) -> list[Session]:
    return sorted(sessions, key=lambda s: s.date)
