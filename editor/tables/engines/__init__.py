"""Table validation engines for ``gfv check --engine``: pandas (default), polars, dask.

Every engine takes a table file, its pandera (pandas) schema, its rules and the key sets
of the tables its foreign keys reference, and returns the same
:class:`~editor.tables.problems.ChunkStats`: same codes, messages, 1-based rows, cap and
count of the problems beyond it (:mod:`editor.tables.problems` holds the wording).

* ``pandas``: :func:`editor.tables.chunked.validate_file`, chunks of ``chunksize`` rows;
* ``polars``: :mod:`.polars_engine`, pandera.polars on a polars frame;
* ``dask``: :mod:`.dask_engine`, partitions on a Dask cluster (local by default).

This module imports none of them: :func:`require_engine` only looks the packages up.
(Not to be confused with :mod:`editor.tables.engine`, the table side of suggestions.)
"""

from __future__ import annotations

import contextlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from editor.errors import ExitCode, GfvError

ENGINES = ("pandas", "polars", "dask")
DEFAULT_ENGINE = "pandas"
_NEEDS = {
    "pandas": ("pandas", "pandera"),
    "polars": ("pandas", "pandera", "polars"),
    "dask": ("pandas", "pandera", "dask", "distributed", "pyarrow"),
}
_EXTRA = {"pandas": "tables", "polars": "polars", "dask": "dask"}


class EngineUnavailable(GfvError):
    """The engine cannot run at all (e.g. no dask scheduler at the address): not about one table."""


@dataclass
class EngineOptions:
    chunksize: int = 50_000  # pandas: rows per chunk
    blocksize: int | str | None = None  # dask: bytes per partition; None: about 4 per worker thread
    scheduler: str | None = (
        None  # dask: address of a running scheduler; None: $GFV_DASK_SCHEDULER, else local
    )


def missing_packages(engine: str) -> list[str]:
    return [m for m in _NEEDS[engine] if importlib.util.find_spec(m) is None]


def require_engine(engine: str) -> None:
    """A usage error when ``engine`` is unknown or its extra is not installed."""
    if engine not in _NEEDS:
        raise GfvError(f"unknown table engine {engine!r} (choose from {', '.join(ENGINES)})", ExitCode.USAGE)
    missing = missing_packages(engine)
    if missing:
        raise GfvError(
            f"the {engine} table engine needs {', '.join(missing)}: pip install 'gfv[{_EXTRA[engine]}]'",
            ExitCode.USAGE,
        )


@contextlib.contextmanager
def engine_session(engine: str, options: EngineOptions) -> Iterator[Any]:
    """What an engine keeps across the tables of one run: the dask client, else nothing."""
    if engine != "dask":
        yield None
        return
    from editor.tables.engines.dask_engine import dask_client  # pylint: disable=import-outside-toplevel

    try:
        cm = dask_client(options.scheduler)
        client = cm.__enter__()  # pylint: disable=unnecessary-dunder-call
    except (OSError, TimeoutError) as exc:
        where = options.scheduler or "the local cluster"
        raise EngineUnavailable(
            f"cannot connect to the dask scheduler at {where}: {exc}", ExitCode.USAGE
        ) from None
    try:
        yield client
    finally:
        cm.__exit__(None, None, None)


def validate_table(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    engine: str,
    path: Path,
    schema: Any,
    rules: Any,
    delimiter: str = ",",
    refs: dict[Any, set] | None = None,
    cap: int = 200,
    options: EngineOptions | None = None,
    session: Any = None,
    skip: int = 0,
) -> Any:
    """Validate ``path`` with ``engine``; a reader failure is a GfvError naming the file.

    ``skip``: comment lines before the header (:func:`editor.tables.csvdoc.preamble_lines`)."""
    # pylint: disable=import-outside-toplevel
    require_engine(engine)
    options = options or EngineOptions()
    try:
        if engine == "polars":
            from editor.tables.engines.polars_engine import validate_polars

            return validate_polars(path, schema, rules, delimiter, refs, cap, skip=skip)
        if engine == "dask":
            from editor.tables.engines.dask_engine import validate_dask

            return validate_dask(
                path,
                schema,
                rules,
                delimiter,
                refs,
                cap,
                options.blocksize,
                options.scheduler,
                session,
                skip=skip,
            )
        from editor.tables.chunked import validate_file

        return validate_file(path, schema, rules, delimiter, options.chunksize, refs, cap, skip=skip)
    except GfvError:
        raise
    except Exception as exc:  # pylint: disable=broad-exception-caught  # each reader raises its own kinds
        text = str(exc).strip()
        msg = text.splitlines()[0] if text else type(exc).__name__
        raise GfvError(
            f"{path}: the {engine} engine cannot read the table: {type(exc).__name__}: {msg}", ExitCode.USAGE
        ) from exc
