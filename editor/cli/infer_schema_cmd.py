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
            "Infer a pandera schema with pandera's inference, then tighten it: ISO-date columns become"
            " datetimes with the observed range, low-cardinality text columns get an isin check, numeric"
            " columns the observed range, and id-like columns with distinct values are marked unique."
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
    from editor.tables.schema import infer_schema, require_tables_extra

    require_tables_extra()
    if args.max_categories < 0:
        raise GfvError("--max-categories must not be negative", ExitCode.USAGE)
    doc = TableDocument.load(args.file)
    if not doc.rows:
        raise GfvError(f"{args.file}: no data rows to infer a schema from", ExitCode.USAGE)
    frame = _typed(to_frame(doc.header, doc.rows))
    yaml_text = infer_schema(frame, args.max_categories).to_yaml()
    if args.output == "-":
        sys.stdout.write(yaml_text)
        return ExitCode.OK
    out = Path(args.output) if args.output else args.file.with_name(args.file.stem + ".schema.yaml")
    if out.exists() and not args.force:
        raise GfvError(f"{out}: already exists; pass --force to overwrite it", ExitCode.USAGE)
    atomic_write(out, yaml_text)
    print(f"wrote {out}", file=sys.stderr)
    return ExitCode.OK


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
