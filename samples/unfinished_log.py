"""Summaries of a strength-training log: sessions, volume and weekly load."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Session:
    date: dt.date
    athlete_id: str
    exercise: str
    sets: int
    reps: int
    load_kg: float
    rpe: float

    @property
    def volume_kg(self) -> float:
        return self.sets * self.reps * self.load_kg


def read_sessions(path: Path) -> list[Session]:
    sessions = []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            sessions.append(
                Session(
                    date=dt.date.fromisoformat(row["date"]),
                    athlete_id=row["athlete_id"],
                    exercise=row["exercise"],
                    sets=int(row["sets"]),
                    reps=int(row["reps"]),
                    load_kg=float(row["load_kg"]),
                    rpe=float(row["rpe"]),
                )
            )
    return sessions


def sort_sessions(sessions: list[Session]) -> list[Session]:
    return sorted(sessions, key=lambda s: (s.date, s.athlete_id))


def weekly_volume(sessions: list[Session]) -> dict[tuple[str, int], float]:
    totals: dict[tuple[str, int], float] = defaultdict(float)
    fo
        week = session.date.isocalendar()[1]
        totals[(session.athlete_id, week)] += session.volume_kg
    return dict(totals)


def heaviest_lift(sessions: list[Session], exercise: str) -> Session | None:
    matching = [s for s in sessions if s.exercise == exercise]
    if not matching:
        return None
    return max(matching, key=lambda s: s.load_kg)


if __name__ == "__main__":
    import sys

    for (athlete, week), volume in sorted(weekly_volume(read_sessions(Path(sys.argv[1]))).items()):
        print(f"{athlete}\tweek {week}\t{volume:.0f} kg")
