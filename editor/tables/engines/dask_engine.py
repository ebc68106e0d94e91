"""The ``dask`` engine: a table checked partition by partition on a Dask cluster.

``dask.dataframe.read_csv`` splits the file into byte blocks (``blocksize``; by default
about four per worker thread, 1 to 64 MB) at line ends, every cell as text.  Each
partition runs the pandas engine's own per-frame code
(:func:`editor.tables.chunked.chunk_problems`: the pandera pandas schema, foreign keys
against the referenced key set, formulas), so problems are worded identically.  Unique
columns and the primary key are checked across partitions: the key columns are shuffled
by key, so every repeat of a key lands in one partition, where the later rows (by
partition, then row) are the duplicates.  Everything is computed in one ``dask.compute``
so the file is read once.  Partitions send back at most ``cap`` problems each.

The cluster: ``scheduler`` (``tcp://host:8786``) or ``GFV_DASK_SCHEDULER`` names a
running one; else a ``distributed.LocalCluster`` is started for the run (one worker
process per CPU, one thread each).  Workers need gfv with the ``dask`` extra and must
see the file at the same path.  Splitting at line ends means a quoted field must not
hold a line break (dask's own limit); such a table needs ``--engine pandas`` or ``polars``.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from pathlib import Path
from typing import Any, Iterator

from editor.tables.problems import ChunkStats, ProblemSink, duplicate_message, key_groups
from editor.tables.rules import TableRules

SCHEDULER_ENV = "GFV_DASK_SCHEDULER"
_COLUMNS = ["part", "row", "column", "code", "message"]


def _meta() -> Any:
    import pandas as pd  # pylint: disable=import-outside-toplevel

    return pd.DataFrame({"part": [], "row": [], "column": [], "code": [], "message": []}).astype(
        {"part": "int64", "row": "int64", "column": object, "code": object, "message": object}
    )


def _frame(part: int, items: list[tuple[int, str | None, str, str]], cap: int) -> Any:
    """A partition's problems: the ``cap`` first (by row, code, column, message) and, when some
    were dropped, one row with code "" whose ``row`` counts them."""
    import pandas as pd  # pylint: disable=import-outside-toplevel

    items = sorted(items, key=lambda p: (p[0], p[2], p[1] or "", p[3]))
    rows = [(part, r, c, code, m) for r, c, code, m in items[:cap]]
    if len(items) > cap:
        rows.append((part, len(items) - cap, None, "", ""))
    return pd.DataFrame(rows, columns=_COLUMNS).astype(_meta().dtypes.to_dict())


def _partition_problems(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    frame: Any, loose: Any, rules: TableRules, refs: Any, cap: int, partition_info: Any = None
) -> Any:
    from editor.tables.chunked import chunk_problems  # pylint: disable=import-outside-toplevel

    frame = frame.reset_index(drop=True)
    return _frame(partition_info["number"], chunk_problems(frame, loose, rules, refs), cap)


def _positions(frame: Any, partition_info: Any = None) -> Any:
    """The key columns with where each row is: partition number and 1-based row within it."""
    frame = frame.reset_index(drop=True)
    number = partition_info["number"] if partition_info else 0  # None while dask infers the output type
    return frame.assign(__part=number, __row=range(1, len(frame) + 1))


def _repeats(frame: Any, group: tuple[str, ...], code: str, cap: int) -> Any:
    """Rows of a shuffled partition whose key appeared at an earlier position."""
    frame = frame.sort_values(["__part", "__row"], kind="stable")
    later = frame[frame.duplicated(subset=list(group), keep="first")]
    label = ", ".join(group)
    items = []
    for part, row, key in zip(later["__part"], later["__row"], zip(*(later[c] for c in group))):
        items.append((int(part), int(row), label, code, duplicate_message(group, key)))
    items.sort(key=lambda p: (p[0], p[1]))
    out = _frame(0, [], cap)
    if items:
        import pandas as pd  # pylint: disable=import-outside-toplevel

        out = pd.DataFrame(items[:cap], columns=_COLUMNS).astype(_meta().dtypes.to_dict())
        if len(items) > cap:
            out.loc[len(out)] = [0, len(items) - cap, None, "", ""]
    return out


def auto_blocksize(size: int, threads: int) -> int:
    """About four partitions per worker thread, between 1 MB and 64 MB (dask's default): a
    44 MB file on 2 threads takes 3.2 s in 7 partitions against 8.7 s in one."""
    return max(2**20, min(64 * 2**20, -(-size // (4 * max(threads, 1)))))


def _local_workers() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: on ``scheduler`` (or ``$GFV_DASK_SCHEDULER``), else on a local
    cluster started for the run and closed after it."""
    # pylint: disable=import-outside-toplevel
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if address:
        with Client(address, timeout="20s") as client:
            yield client
        return
    # a daemonic process (a pool worker) may not start worker processes: use threads there
    processes = not multiprocessing.current_process().daemon
    workers = _local_workers()
    with (
        LocalCluster(
            n_workers=workers if processes else 1,
            threads_per_worker=1 if processes else workers,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def validate_dask(  # pylint: disable=too-many-arguments,too-many-positional-arguments,too-many-locals
    path: Path,
    schema: Any,
    rules: TableRules,
    delimiter: str = ",",
    refs: dict[Any, set] | None = None,
    cap: int = 200,
    blocksize: int | str | None = None,
    scheduler: str | None = None,
    client: Any = None,
    *,
    skip: int = 0,
) -> ChunkStats:
    """Validate ``path`` on ``client`` (else on :func:`dask_client` ``(scheduler)``); ``skip``:
    comment lines before the header."""
    if client is None:
        with dask_client(scheduler) as own:
            return validate_dask(path, schema, rules, delimiter, refs, cap, blocksize, client=own, skip=skip)
    # pylint: disable=import-outside-toplevel
    import dask
    import dask.dataframe as dd

    from editor.tables.frame import relaxed

    if blocksize is None:
        blocksize = auto_blocksize(Path(path).stat().st_size, sum(client.nthreads().values()))
    with dask.config.set({"dataframe.convert-string": False}):  # text cells as the pandas engine has them
        text = dd.read_csv(
            str(Path(path).resolve()),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            blocksize=blocksize,
            encoding="utf-8-sig",
            skiprows=skip,
        )
    loose = relaxed(schema) if schema is not None else None
    parts = [
        text.map_partitions(_partition_problems, loose, rules, refs or {}, cap, meta=_meta()),
    ]
    for group, code in key_groups(schema, rules):
        keys = text[list(group)].map_partitions(_positions)
        parts.append(keys.shuffle(on=list(group)).map_partitions(_repeats, group, code, cap, meta=_meta()))
    lengths, *found = dask.compute(text.map_partitions(len), *parts)
    offsets = [0]
    for n in lengths:
        offsets.append(offsets[-1] + int(n))
    stats = ChunkStats(rows=offsets[-1], chunks=len(offsets) - 1)
    sink = ProblemSink(cap)
    for frame in found:
        for part, row, column, code, message in frame.itertuples(index=False):
            if code == "":
                sink.truncated += int(row)
            else:
                sink.add(offsets[part] + row if row else 0, column, code, message)
    stats.problems, stats.truncated = sink.problems(), sink.truncated
    return stats
