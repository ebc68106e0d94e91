"""``gfv infer-schema TABLE``: write a starting pandera YAML schema for a CSV/TSV table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.errors import ExitCode, GfvError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "infer-schema",
        help="write a starting pandera schema (YAML) for a CSV/TSV table",
        description=(
            "Infer a pandera schema with pandera's inference, then tighten it: date columns in any common"
            " format (ISO ones become datetimes; others keep their text with a date_format check that records"
            " the format) with the observed range plus a year each way, low-cardinality text columns get an"
            " isin check, numeric columns the observed range plus 10%% headroom, id-like columns with distinct"
            " values are unique, a primary key (one to three key-like columns, unique and never empty) and the"
            " row rules that hold on every row (a <= b between comparable columns: columns_ordered; a column"
            " that is the sum of two others: columns_sum). What was inferred beyond pandera is listed on"
            " stderr and at the top of the YAML: delete what you do not want."
            " Writes TABLE_STEM.schema.yaml beside the table (refuses to overwrite without --force)."
        ),
    )
    p.add_argument("file", type=Path, help="a CSV or TSV table (UTF-8)")
    p.add_argument("-o", "--output", help="where to write the YAML ('-' for stdout)")
    p.add_argument("--force", action="store_true", help="overwrite an existing schema file")
    p.add_argument(
        "--max-categories", type=int, default=12, help="text columns with at most this many values get isin"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # pylint: disable=import-outside-toplevel
    from editor.files import atomic_write
    from editor.tables.csvdoc import TableDocument
    from editor.tables.frame import to_frame
    from editor.tables.schema import infer_schema_report, require_tables_extra

    require_tables_extra()
    if args.max_categories < 0:
        raise GfvError("--max-categories must not be negative", ExitCode.USAGE)
    doc = TableDocument.load(args.file)
    if not doc.rows:
        raise GfvError(f"{args.file}: no data rows to infer a schema from", ExitCode.USAGE)
    frame = _typed(to_frame(doc.header, doc.rows))
    schema, notes = infer_schema_report(frame, args.max_categories)
    yaml_text = _commented(schema.to_yaml(), notes)
    if args.output == "-":
        sys.stdout.write(yaml_text)
        return ExitCode.OK
    out = Path(args.output) if args.output else args.file.with_name(args.file.stem + ".schema.yaml")
    if out.exists() and not args.force:
        raise GfvError(f"{out}: already exists; pass --force to overwrite it", ExitCode.USAGE)
    atomic_write(out, yaml_text)
    for note in notes:
        print(f"inferred {note}", file=sys.stderr)
    print(f"wrote {out}", file=sys.stderr)
    return ExitCode.OK


def _commented(yaml_text: str, notes: list[str]) -> str:
    """The YAML with what gfv inferred beyond pandera listed on top, for the user to keep or delete."""
    if not notes:
        return yaml_text
    head = [
        "# gfv infer-schema inferred (keep what is right; delete what is not:",
        "#   the primary key is `unique:` (or a column's `unique: true`), row rules are under `checks:`):",
        *(f"#   - {note}" for note in notes),
    ]
    return "\n".join(head) + "\n" + yaml_text


def _typed(frame):
    """Object columns converted to numbers where every value is one (pandera infers from dtypes)."""
    import pandas as pd  # pylint: disable=import-outside-toplevel

    for name in frame.columns:
        col = frame[name]
        nums = pd.to_numeric(col, errors="coerce")
        if nums[col.notna()].notna().all() and col.notna().any():
            ints = col.dropna().astype(str).str.fullmatch(r"[+-]?\d+").all()
            frame[name] = nums.astype("Int64" if col.isna().any() else "int64") if ints else nums
        else:
            frame[name] = col.astype("string")
    return frame
