"""Measure the table engines against pandera directly (rows/s, peak memory).

``python -m editor.tables.measure ROWS [CHUNKSIZE]`` writes a synthetic training log of
ROWS rows (from the sample's athletes and exercises, volume = sets x reps x load) to a
temporary folder beside the sample schema and rules, then runs each method in its own
subprocess (so each peak RSS is its own) and prints one JSON object.  Methods:

* ``pandas``, ``polars``, ``dask``: gfv's engines (schema, primary key, foreign key,
  formula); dask on a local cluster started in the child (one worker process per CPU),
  timed with and without the cluster's start, its workers' peaks summed separately;
* ``structure_scan``: the checker's one streaming pass that refuses malformed records;
* ``pandera_pandas``: pandera on one whole pandas frame (schema only);
* ``pandera_polars``: pandera.polars on one polars frame (schema only, checks ported by gfv).
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
from typing import Any

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
METHODS = ("pandas", "polars", "dask", "structure_scan", "pandera_pandas", "pandera_polars")
EXERCISES = ["back_squat", "bench_press", "deadlift", "power_clean", "romanian_deadlift", "pull_up"]


def write_log(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("date,athlete_id,exercise,sets,reps,load_kg,rpe,volume_kg\n")
        for i in range(rows):
            day = (
                737425 + i // 48
            )  # from 2020-01-01  # unique (date, athlete, exercise): 8 athletes x 6 exercises a day
            sets, reps, load = rng.randint(1, 6), rng.randint(1, 10), rng.randint(8, 80) * 2.5
            date = __import__("datetime").date.fromordinal(day).isoformat()
            fh.write(
                f"{date},A{(i // 6) % 8 + 1:03d},{EXERCISES[i % 6]},{sets},{reps},{load},"
                f"{rng.choice([6.5, 7, 8, 9])},{sets * reps * load}\n"
            )


def _gfv(engine: str, path: Path, chunksize: int, client: Any = None) -> tuple[int, int]:
    """The table checker's path minus the structure scan: header, schema, rules, referenced
    keys, then the engine.  Returns (problems, rows)."""
    # pylint: disable=import-outside-toplevel
    from editor.tables.engines import EngineOptions, validate_table
    from editor.tables.tablefile import open_table_file, reference_keys

    table = open_table_file(path)
    refs = {fk: reference_keys(table, fk) for fk in table.rules.foreign_keys}
    stats = validate_table(
        engine,
        path,
        table.schema,
        table.rules,
        table.delimiter,
        refs=refs,
        options=EngineOptions(chunksize=chunksize),
        session=client,
    )
    return len(stats.problems) + stats.truncated, stats.rows


def _pandera_pandas(path: Path, schema: Any) -> int:
    import pandas as pd  # pylint: disable=import-outside-toplevel
    import pandera.errors as pe  # pylint: disable=import-outside-toplevel

    frame = pd.read_csv(path)
    try:
        schema.validate(frame, lazy=True)
        return 0
    except pe.SchemaErrors as exc:
        return len(exc.failure_cases)


def _pandera_polars(path: Path, schema: Any) -> int:
    """pandera.polars on one polars frame (polars' own type inference, dates parsed), the
    sample schema's checks ported by gfv, coercing."""
    # pylint: disable=import-outside-toplevel
    import pandera.errors as pe
    import pandera.polars as pap
    import polars as pl

    from editor.tables.engines.polars_schema import port_schema

    ported = port_schema(schema).schema
    columns = {
        n: pap.Column(c.dtype, checks=c.checks, nullable=c.nullable) for n, c in ported.columns.items()
    }
    frame = pl.read_csv(path, try_parse_dates=True)
    try:
        pap.DataFrameSchema(columns, coerce=True).validate(frame, lazy=True)
        return 0
    except pe.SchemaErrors as exc:
        return len(exc.failure_cases)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(method: str, folder: str, chunksize: int) -> None:
    # pylint: disable=import-outside-toplevel
    start = time.perf_counter()
    path = Path(folder) / "sessions.csv"
    out: dict[str, Any] = {"method": method}
    if method == "dask":
        from editor.tables.engines.dask_engine import dask_client

        with dask_client() as client:
            ready = time.perf_counter()
            out["problems"], _ = _gfv("dask", path, chunksize, client)
            out["seconds_without_cluster_start"] = round(time.perf_counter() - ready, 2)
            workers = client.run(_peak_mb)  # each worker process's own peak
            out["workers"] = len(workers)
            out["workers_peak_rss_mb"] = round(sum(workers.values()), 1)
    elif method in ("pandas", "polars"):
        out["problems"], _ = _gfv(method, path, chunksize)
    elif method == "structure_scan":
        from editor.tables.tablefile import open_table_file, scan_records

        scan_records(open_table_file(path))
        out["problems"] = 0
    else:
        from editor.tables.schema import load_schema

        schema = load_schema(Path(folder) / "sessions.schema.yaml")
        run = _pandera_pandas if method == "pandera_pandas" else _pandera_polars
        out["problems"] = run(path, schema)
    out["seconds"] = round(time.perf_counter() - start, 2)
    out["peak_rss_mb"] = round(_peak_mb(), 1)  # this process (for dask: the client and scheduler)
    print(json.dumps(out))


def measure(rows: int, chunksize: int = 50_000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("athletes.csv", "athletes.schema.yaml", "gfv.toml"):
            shutil.copy(SAMPLES / name, folder / name)
        # 1M rows with a unique (date, athlete, exercise) need about 57 years of dates
        schema = (SAMPLES / "sessions.schema.yaml").read_text(encoding="utf-8")
        (folder / "sessions.schema.yaml").write_text(
            schema.replace("2030-12-31", "2099-12-31"), encoding="utf-8"
        )
        write_log(folder / "sessions.csv", rows)
        out = {
            "rows": rows,
            "chunksize": chunksize,
            "file_mb": round((folder / "sessions.csv").stat().st_size / 2**20, 1),
        }
        for method in METHODS:
            proc = subprocess.run(
                [sys.executable, "-m", "editor.tables.measure", "--child", method, tmp, str(chunksize)],
                capture_output=True,
                text=True,
                check=True,
            )
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            res["rows_per_s"] = round(rows / res["seconds"])
            if "seconds_without_cluster_start" in res:
                res["rows_per_s_without_cluster_start"] = round(rows / res["seconds_without_cluster_start"])
            out[method] = res
        return out


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        print(
            json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50_000), indent=1)
        )
