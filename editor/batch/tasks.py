"""``gfv batch`` tasks and the resumable results file.

Tasks are JSON lines: ``{"id": ..., "file": "path.py", "line": L, "col": C, "k": 5}``
(1-based line and column; ``k`` optional; ``"block": true`` asks for whole blocks there, as
``gfv suggest --block``), or table tasks
``{"id": ..., "file": "x.csv", "row": N | "next", "column": NAME, "k": 5}`` (1-based data
row; ``column`` optional: without it the whole row is suggested), or block tasks
``{"id": ..., "file": "x.csv", "rows": "next:5", "k": 5}`` (the next N rows as one block,
as ``gfv suggest --rows next:N``; ``rows`` excludes ``row`` and ``column``).  A line that is not a valid task
becomes an error record, never a crash: its id is the task's own id when it has a
usable one, else ``"line-N"`` (N = the task's line in the tasks file).

Results are JSON lines too, one per task, in completion order.  Each line is
written with a single write and flushed; on start, a last line without its
newline (a run killed mid-write) is cut off, so the file only ever holds whole
records, and the ids already there are skipped.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from editor.errors import ExitCode, GfvError


@dataclass
class Task:  # pylint: disable=too-many-instance-attributes
    """One slot to complete: a code position (line, col) or a table slot (row, column)."""

    id: Any
    file: str
    line: int | None
    col: int | None
    k: int | None
    lineno: int  # the task's line in the tasks file
    row: int | str | None = None  # table tasks: 1-based data row or "next"
    column: str | None = None  # table tasks: the cell's column (None: the whole row)
    block: bool = False  # code tasks: propose whole blocks (gfv suggest --block)
    rows: int | None = None  # block tasks: how many new rows ("rows": "next:N"; row is then "next")

    @property
    def is_table(self) -> bool:
        """Whether this is a table task (``row`` given)."""
        return self.row is not None

    @property
    def key(self) -> str:
        """The id as a comparable string."""
        return id_key(self.id)


def id_key(value: Any) -> str:
    """A task id as a comparable string (1 and "1" stay different)."""
    return json.dumps(value, sort_keys=True)


def error_record(task_id: Any, code: str, message: str) -> dict[str, Any]:
    """The result line of a task that could not be run."""
    return {"id": task_id, "error": {"code": code, "message": message}}


def _positive_int(task: dict, name: str, required: bool = True) -> int | None:
    value = task.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        what = "missing" if value is None else f"{value!r}"
        raise ValueError(f"'{name}' must be an integer of at least 1 (1-based), got {what}")
    return value


def _parse_one(raw: str, lineno: int) -> Task:
    """A Task from one JSON line; ValueError says what is wrong with it."""
    try:
        task = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(task, dict):
        raise ValueError("a task must be a JSON object")
    task_id = task.get("id")
    if isinstance(task_id, bool) or not isinstance(task_id, (str, int)):
        raise ValueError("'id' must be a string or an integer")
    file = task.get("file")
    if not isinstance(file, str) or not file:
        raise ValueError("'file' must be a non-empty string")
    if "row" in task or "column" in task or "rows" in task:
        if "block" in task:
            raise ValueError("'block' is for code tasks (line/col), not table tasks")
        return _table_task(task, task_id, file, lineno)
    block = task.get("block", False)
    if not isinstance(block, bool):
        raise ValueError(f"'block' must be true or false, got {block!r}")
    return Task(
        task_id,
        file,
        _positive_int(task, "line"),
        _positive_int(task, "col"),
        _positive_int(task, "k", required=False),
        lineno,
        block=block,
    )


def _table_task(task: dict, task_id: Any, file: str, lineno: int) -> Task:
    if "line" in task or "col" in task:
        raise ValueError("a task has either line/col (code) or row/column (table), not both")
    if "rows" in task:
        return _block_task(task, task_id, file, lineno)
    row = task.get("row")
    if row != "next":
        try:
            row = _positive_int(task, "row")
        except ValueError:
            raise ValueError(f"'row' must be a 1-based data row number or \"next\", got {row!r}") from None
    column = task.get("column")
    if column is not None and (not isinstance(column, str) or not column):
        raise ValueError(f"'column' must be a column name (a non-empty string), got {column!r}")
    return Task(task_id, file, None, None, _positive_int(task, "k", required=False), lineno, row, column)


def _block_task(task: dict, task_id: Any, file: str, lineno: int) -> Task:
    from editor.tables.row_block import MAX_ROWS, parse_rows  # pylint: disable=import-outside-toplevel

    if "row" in task or "column" in task:
        raise ValueError("'rows' proposes whole new rows; it excludes 'row' and 'column'")
    try:
        n = parse_rows(task["rows"])
    except GfvError:
        raise ValueError(
            f"'rows' must be \"next:N\" (N from 1 to {MAX_ROWS}), got {task['rows']!r}"
        ) from None
    k = _positive_int(task, "k", required=False)
    return Task(task_id, file, None, None, k, lineno, "next", None, rows=n)


def read_tasks(path: Path) -> Iterator[Task | dict[str, Any]]:
    """Each task of the file, or the error record of a line that is not a valid task."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GfvError(f"{path}: no such tasks file", ExitCode.USAGE) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GfvError(f"{path}: cannot read the tasks file: {exc}", ExitCode.USAGE) from None
    first_line: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            task = _parse_one(raw, lineno)
        except ValueError as exc:
            task_id = _salvage_id(raw)
            if task_id is None or id_key(task_id) in first_line:
                task_id = f"line-{lineno}"
            first_line.setdefault(id_key(task_id), lineno)
            yield error_record(task_id, "bad-task", f"task on line {lineno}: {exc}")
            continue
        if task.key in first_line:
            yield error_record(
                f"line-{lineno}",
                "duplicate-id",
                f"task on line {lineno}: id {task.id!r} was already used on line {first_line[task.key]}",
            )
            continue
        first_line[task.key] = lineno
        yield task


def _salvage_id(raw: str) -> Any:
    try:
        value = json.loads(raw).get("id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


class ResultsFile:
    """The append-only results file; see the module docstring."""

    def __init__(self, path: Path, retry_errors: bool = False) -> None:
        self.path = path
        self.done: set[str] = set()
        self.repaired = False
        self.dropped_errors = 0
        self._load(retry_errors)
        self._fh = open(self.path, "ab")  # pylint: disable=consider-using-with  # closed in close()

    def _load(self, retry_errors: bool) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise GfvError(f"{self.path}: cannot read the results file: {exc}", ExitCode.USAGE) from None
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):  # a half-written last line: cut it off
            with open(self.path, "r+b") as fh:
                fh.truncate(len(complete))
            self.repaired = True
        keep: list[bytes] = []
        for raw in complete.splitlines(keepends=True):
            try:
                record = json.loads(raw)
            except ValueError:
                raise GfvError(
                    f"{self.path}: holds a line that is not JSON; is it a gfv batch results file?",
                    ExitCode.USAGE,
                ) from None
            if not isinstance(record, dict) or "id" not in record:
                raise GfvError(f"{self.path}: holds a record without an id", ExitCode.USAGE)
            if retry_errors and "error" in record:
                self.dropped_errors += 1
                continue
            keep.append(raw)
            self.done.add(id_key(record["id"]))
        if self.dropped_errors:
            self._rewrite(b"".join(keep))

    def _rewrite(self, content: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def write(self, record: dict[str, Any]) -> None:
        """Append one record as one whole line."""
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        self._fh.write(line)
        self._fh.flush()
        self.done.add(id_key(record["id"]))

    def close(self) -> None:
        """Close the file (every record is already flushed)."""
        self._fh.close()
