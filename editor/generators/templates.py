"""Template generator: idioms from ``grammars/*.toml`` with slots filled from names in scope.

A template applies when the cursor's place (module, function, method, class) is
in its ``where`` list and what the user typed on the line (after indentation) is a
prefix of one of its instantiations.  The candidate is the rest of the instantiation.
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from editor.candidates import Candidate
from editor.document import Slot
from editor.errors import ExitCode, GfvError
from editor.scope import Scope, scope_at
from editor.stages import StageContext, generators

# read left to right: ``{{`` and ``}}`` are literal braces, ``{name}`` a slot (so ``{{{param}!r}}``
# is a brace, the slot, ``!r`` and a brace: an f-string's replacement field)
SLOT_RE = re.compile(r"\{\{|\}\}|\{(\w+)\}")


def render(text: str, fills: dict[str, str]) -> str:
    """``text`` with its slots filled from ``fills`` (a slot without a fill stays as written)."""
    return SLOT_RE.sub(
        lambda m: m.group(0)[0] if m.group(1) is None else fills.get(m.group(1), m.group(0)), text
    )


PLACES = {"module", "function", "method", "class", "any"}
SLOT_KINDS = {
    "local",
    "param",
    "import",
    "attr",
    "function",
    "class",
    "exception",
    "name",
    "iterable",
    "item",
    "params",
}
# Slots of block templates only (editor/generators/block_templates.py): the header's parameters
# (a line holding {each} is repeated for each), the enclosing class, its __repr__ fields, and
# for a test_<name> function the function under test, its arguments and each of them.
BLOCK_SLOT_KINDS = {"each", "cls", "repr_fields", "tested", "tested_args", "each_tested"}
FILLS_PER_SLOT = 4
# nats off a line template's weight on an empty line (nothing typed but indentation), where
# the list after the model's line is in cheap order against the n-gram model's lines: on the
# start cuts of click and rich (tuning corpora, seeds 0-3, 320 slots) a template was the line
# in 3 slots while taking 260 of the 1,280 top-4 places (docs/benchmarks.md, code round 13).
# Not on a typed line, where the cascade's margin rule compares the weights as they are.
EMPTY_LINE_SHIFT = 2.0
DEFAULT_EXCEPTIONS = ["ValueError", "KeyError", "OSError", "TypeError"]


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    where: tuple[str, ...]
    weight: float
    header: str | None = None  # block templates: a regex the block's header must match

    @property
    def is_block(self) -> bool:
        return self.header is not None

    @property
    def slots(self) -> list[str]:
        return list(dict.fromkeys(m.group(1) for m in SLOT_RE.finditer(self.text) if m.group(1)))


def load_grammar(path: Path | None = None, text: str | None = None) -> list[Template]:
    """Parse and validate one grammar file (or its text); errors name the template."""
    where = str(path) if path else "grammar"
    try:
        data = tomllib.loads(text if text is not None else Path(path).read_text(encoding="utf-8"))  # type: ignore[arg-type]
    except tomllib.TOMLDecodeError as exc:
        raise GfvError(f"{where}: not valid TOML: {exc}", ExitCode.USAGE) from None
    out = []
    for i, raw in enumerate(data.get("template", [])):
        label = f"{where}: template #{i + 1} ({raw.get('name', '?')})"
        unknown = set(raw) - {"name", "text", "where", "weight", "header"}
        if unknown:
            raise GfvError(f"{label}: unknown keys {sorted(unknown)}", ExitCode.USAGE)
        if not isinstance(raw.get("name"), str) or not isinstance(raw.get("text"), str):
            raise GfvError(f"{label}: 'name' and 'text' must be strings", ExitCode.USAGE)
        places = raw.get("where", ["any"])
        if not set(places) <= PLACES:
            raise GfvError(f"{label}: 'where' must be among {sorted(PLACES)}", ExitCode.USAGE)
        header = raw.get("header")
        groups: set[str] = set()
        if header is not None:
            try:
                groups = set(re.compile(header).groupindex) if isinstance(header, str) else set()
            except re.error as exc:
                raise GfvError(f"{label}: 'header' is not a valid regex: {exc}", ExitCode.USAGE) from None
            if not isinstance(header, str):
                raise GfvError(f"{label}: 'header' must be a string (a regex)", ExitCode.USAGE)
        elif "\n" in raw["text"]:
            raise GfvError(
                f"{label}: a template of several lines needs a 'header' (docs/grammars.md)", ExitCode.USAGE
            )
        tpl = Template(
            raw["name"], raw["text"].strip("\n"), tuple(places), float(raw.get("weight", -3.0)), header
        )
        bad = set(tpl.slots) - SLOT_KINDS - (BLOCK_SLOT_KINDS | groups if header is not None else set())
        if bad:
            raise GfvError(
                f"{label}: unknown slots {sorted(bad)} (known: {sorted(SLOT_KINDS)})", ExitCode.USAGE
            )
        out.append(tpl)
    return out


def builtin_grammars(language: str = "python") -> list[Template]:
    source = resources.files("grammars").joinpath(f"{language}.toml")
    return load_grammar(Path(str(source)), source.read_text(encoding="utf-8"))


def singular(name: str) -> str:
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 2:
        return name[:-1]
    return "item"


def _fills(kind: str, scope: Scope) -> list[str]:
    table = {
        "local": scope.locals,
        "param": scope.params,
        "import": scope.imports,
        "attr": scope.attrs,
        "function": [f for f in scope.functions if not f.startswith("__")],
        "class": scope.classes,
        "exception": scope.exceptions + DEFAULT_EXCEPTIONS,
        "name": scope.all_names(),
        "iterable": sorted(scope.locals + scope.params, key=lambda n: not n.endswith("s")),
        "params": [", ".join(scope.params)] if scope.params else [],
    }
    return list(dict.fromkeys(table[kind]))[:FILLS_PER_SLOT]


def instantiate(tpl: Template, scope: Scope) -> Iterator[tuple[str, dict[str, str], float]]:
    """Every filling of the template's slots: (text, fills, log-prob of the fills)."""
    kinds = [s for s in tpl.slots if s != "item"]
    options = [list(enumerate(_fills(k, scope))) for k in kinds]
    if any(not o for o in options):
        return
    for combo in itertools.product(*options):
        fills = {k: v for k, (_, v) in zip(kinds, combo)}
        if "item" in tpl.slots:
            fills["item"] = singular(fills.get("iterable", "items"))
        # recent names are likelier: rank r costs log(r + 1)
        penalty = -sum(math.log(rank + 1) for rank, _ in combo)
        text = render(tpl.text, fills)
        yield text, fills, penalty


class TemplateGenerator:
    name = "templates"

    def __init__(self, templates: list[Template]) -> None:
        self.templates = templates

    def generate(self, slot: Slot, limit: int) -> Iterable[Candidate]:
        typed = slot.typed
        if (
            typed.strip()
            and typed[: len(typed) - len(typed.lstrip())] != slot.indent[: len(typed) - len(typed.lstrip())]
        ):
            return []
        stripped = typed.lstrip()
        if slot.after_cursor.strip():
            return []  # templates propose whole lines; the rest of this line is already written
        scope = scope_at(slot)
        existing = {line.strip() for line in slot.document.lines}
        out = []
        for tpl in self.templates:
            if tpl.is_block:
                continue  # block templates: editor/generators/block_templates.py
            if "any" not in tpl.where and scope.where not in tpl.where:
                continue
            for text, fills, penalty in instantiate(tpl, scope):
                if not text.startswith(stripped) or text == stripped or text in existing:
                    continue
                rest = text[len(stripped) :]
                if not typed:
                    rest = slot.indent + rest
                elif not stripped:  # only indentation typed: complete it
                    rest = slot.indent[len(typed) :] + rest
                out.append(
                    Candidate(
                        text=rest,
                        source=f"template:{tpl.name}",
                        scores={"ngram": tpl.weight + penalty - (0.0 if stripped else EMPTY_LINE_SHIFT)},
                        origin={"template": tpl.name, "fills": fills},
                    )
                )
        out.sort(key=lambda c: -c.scores["ngram"])
        return out[:limit]


@generators.register("templates")
def make_template_generator(ctx: StageContext) -> TemplateGenerator:
    del ctx
    return TemplateGenerator(builtin_grammars("python"))
