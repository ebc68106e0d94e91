"""Measure chunked validation against pandera on one whole pandas frame (rows/s, peak memory).

``python -m editor.tables.measure ROWS [CHUNKSIZE]`` writes a synthetic training log of
ROWS rows (from the sample's athletes and exercises, volume = sets x reps x load) to a
temporary folder beside the sample schema and rules, then runs each method in its own
subprocess (so each peak RSS is its own) and prints one JSON object.
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
EXERCISES = ["back_squat", "bench_press", "deadlift", "power_clean", "romanian_deadlift", "pull_up"]


def write_log(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("date,athlete_id,exercise,sets,reps,load_kg,rpe,volume_kg\n")
        for i in range(rows):
            day = 737425 + i // 48  # from 2020-01-01  # unique (date, athlete, exercise): 8 athletes x 6 exercises a day
            sets, reps, load = rng.randint(1, 6), rng.randint(1, 10), rng.randint(8, 80) * 2.5
            date = __import__("datetime").date.fromordinal(day).isoformat()
            fh.write(
                f"{date},A{(i // 6) % 8 + 1:03d},{EXERCISES[i % 6]},{sets},{reps},{load},"
                f"{rng.choice([6.5, 7, 8, 9])},{sets * reps * load}\n"
            )


def _child(method: str, folder: str, chunksize: int) -> None:
    # pylint: disable=import-outside-toplevel
    start = time.perf_counter()
    path = Path(folder) / "sessions.csv"
    if method == "chunked":
        from editor.config import load_config
        from editor.tables.chunked import validate_file
        from editor.tables.rules import rules_for
        from editor.tables.schema import load_schema

        schema = load_schema(Path(folder) / "sessions.schema.yaml")

        rules = rules_for(load_config(start=Path(folder)).tables, path)
        stats = validate_file(path, schema, rules, chunksize=chunksize)
        problems = len(stats.problems) + stats.truncated
    else:
        import pandas as pd
        import pandera.errors as pe

        from editor.tables.schema import load_schema

        schema = load_schema(Path(folder) / "sessions.schema.yaml")
        frame = pd.read_csv(path)
        try:
            schema.validate(frame, lazy=True)
            problems = 0
        except pe.SchemaErrors as exc:
            problems = len(exc.failure_cases)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "method": method,
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(peak_mb, 1),
                "problems": problems,
            }
        )
    )


def measure(rows: int, chunksize: int = 50_000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("athletes.csv", "athletes.schema.yaml", "gfv.toml"):
            shutil.copy(SAMPLES / name, folder / name)
        # 1M rows with a unique (date, athlete, exercise) need about 57 years of dates
        schema = (SAMPLES / "sessions.schema.yaml").read_text(encoding="utf-8")
        (folder / "sessions.schema.yaml").write_text(schema.replace("2030-12-31", "2099-12-31"), encoding="utf-8")
        write_log(folder / "sessions.csv", rows)
        out = {
            "rows": rows,
            "chunksize": chunksize,
            "file_mb": round((folder / "sessions.csv").stat().st_size / 2**20, 1),
        }
        for method in ("chunked", "pandera_whole_frame"):
            proc = subprocess.run(
                [sys.executable, "-m", "editor.tables.measure", "--child", method, tmp, str(chunksize)],
                capture_output=True,
                text=True,
                check=True,
            )
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            res["rows_per_s"] = round(rows / res["seconds"])
            out[method] = res
        return out


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        print(
            json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50_000), indent=1)
        )
