"""The "properties" validator: the user's hypothesis properties, run against each candidate in a sandbox.

Declaring properties (see docs/sandbox.md): next to ``pkg/mod.py`` put
``pkg/mod_properties.py``.  Every top-level function named ``prop_*`` in it is a
hypothesis ``@given`` test whose first parameter is the module under test; gfv calls
it with the module *with the candidate inserted*.  A property covers the names it
reads as ``<first parameter>.<name>`` (directly or through helper functions of the
properties file), e.g. ``mod.sort_sessions`` and ``mod.Session``.

Which properties run for a candidate: the document with the candidate inserted is
parsed; the top-level functions and classes whose lines the candidate touches are
"changed", and so is every top-level function or class that refers to a changed one
(transitively).  A property runs when it covers a changed name; a change outside any
function or class (an import, a constant) runs them all.

Each candidate runs in its own sandboxed process (``validators/_sandbox.py``).  It runs
after ranking, on the top few candidates only (``validators.post_rank``).

Codes (docs/verdict-codes.md): ``PROP000`` ok, ``PROP001`` falsified (with the shrunk
counterexample), ``PROP002`` timeout, ``PROP003`` memory limit, ``PROP004`` forbidden
operation, ``PROP005`` crashed, ``PROP006`` no property applies (ok: there is nothing
to check), ``PROP007`` file-size limit, ``PROP008`` not checked (the document does not
parse, the properties file is broken, a module is missing, ``require_isolation`` and no
OS layer): a :meth:`~editor.candidates.Verdict.not_checked` verdict, never a pass;
``PROP009`` the work dir's disk quota (``disk_mb``) is full.
"""

from __future__ import annotations

import ast
import hashlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from editor.candidates import Candidate, Verdict
from editor.document import Slot
from editor.stages import StageContext, validators
from validators._sandbox import Limits, run_in_sandbox

SUFFIX = "_properties"
_CODES = {  # status -> (code, ok)
    "ok": ("PROP000", True),
    "falsified": ("PROP001", False),
    "timeout": ("PROP002", False),
    "memory": ("PROP003", False),
    "forbidden": ("PROP004", False),
    "crash": ("PROP005", False),
    "none": ("PROP006", True),
    "fsize": ("PROP007", False),
    "notchecked": ("PROP008", False),
    "disk": ("PROP009", False),
}
_MESSAGE_MAX = 240


def properties_file(module_path: Path) -> Path | None:
    """``mod_properties.py`` beside ``mod.py``, if it exists (a properties file has none)."""
    if module_path.suffix != ".py" or module_path.stem.endswith(SUFFIX):
        return None
    candidate = module_path.with_name(module_path.stem + SUFFIX + ".py")
    return candidate if candidate.is_file() else None


def _top_level_defs(tree: ast.Module) -> dict[str, ast.AST]:
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }


def covered_names(properties_source: str) -> dict[str, set[str]]:
    """For each ``prop_*`` function: the module names it covers (``mod.<name>``), through helpers too."""
    tree = ast.parse(properties_source)
    defs = _top_level_defs(tree)
    direct: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for name, node in defs.items():
        params = getattr(node, "args", None)
        first = params.args[0].arg if params is not None and params.args else None
        direct[name] = {
            sub.attr
            for sub in ast.walk(node)
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == first
        }
        calls[name] = {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and sub.id in defs} - {
            name
        }
    out = {}
    for name in defs:
        if not name.startswith("prop_"):
            continue
        seen, todo, covered = {name}, [name], set()
        while todo:
            cur = todo.pop()
            covered |= direct[cur]
            for nxt in calls[cur] - seen:
                seen.add(nxt)
                todo.append(nxt)
        out[name] = covered
    return out


def changed_names(tree: ast.Module, touched: range) -> set[str] | None:
    """Top-level names the touched lines change, closed over references; None = module level."""
    defs = _top_level_defs(tree)
    changed: set[str] = set()
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        if first > touched.stop - 1 or (node.end_lineno or node.lineno) < touched.start:
            continue
        if node in defs.values():
            changed.add(node.name)  # type: ignore[attr-defined]
        elif not isinstance(node, ast.Expr) or not isinstance(getattr(node, "value", None), ast.Constant):
            return None  # an import, assignment or statement at module level: anything may change
    refs = {name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} for name, node in defs.items()}
    grew = True
    while grew:
        more = {name for name, used in refs.items() if name not in changed and used & changed}
        changed |= more
        grew = bool(more)
    return changed


class PropertiesValidator:  # pylint: disable=too-few-public-methods
    """Runs the applicable properties per candidate in a sandbox (see module docstring)."""

    name = "properties"
    cost = "expensive"

    def __init__(self, limits: Limits | None = None, workers: int = 2) -> None:
        self.limits = limits or Limits()
        self.workers = max(1, workers)
        self._cache: dict[str, dict] = {}
        self._lock = threading.Lock()

    def validate(self, slot: Slot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        if not candidates:
            return []
        path = slot.document.path
        props_path = properties_file(Path(path)) if path else None
        if props_path is None:
            why = "no properties file" if path else "the document has no file name"
            return [[self._verdict({"status": "none", "detail": why})] for _ in candidates]
        try:
            props_source = props_path.read_text(encoding="utf-8")
            covered = covered_names(props_source)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as exc:
            result = {"status": "notchecked", "detail": f"cannot read {props_path.name}: {exc}"}
            return [[self._verdict(result)] for _ in candidates]
        module = Path(path).stem
        search_dir = str(Path(path).resolve().parent)
        jobs = [self._job(slot, c.text, covered) for c in candidates]

        def run(job):
            if isinstance(job, dict):
                return job
            source, names = job
            key = hashlib.sha256(repr((source, props_source, names, self.limits)).encode()).hexdigest()
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            result = run_in_sandbox(module, source, props_source, names, search_dir, self.limits)
            result["checked"] = names
            if result["status"] != "timeout":  # a timeout may be load on the machine: retry next time
                with self._lock:
                    self._cache[key] = result
            return result

        with ThreadPoolExecutor(max_workers=min(self.workers, len(jobs))) as pool:
            results = list(pool.map(run, jobs))
        return [[self._verdict(r)] for r in results]

    @staticmethod
    def _job(slot: Slot, text: str, covered: dict[str, set[str]]):
        """(document, property names) to run, or a finished result when nothing needs running."""
        source = slot.apply(text)
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            return {"status": "notchecked", "detail": f"the document does not parse here: {exc.msg}"}
        changed = changed_names(tree, slot.touched_lines(text))
        names = sorted(p for p, cov in covered.items() if changed is None or cov & changed)
        if not names:
            return {"status": "none", "detail": "no property covers the changed functions"}
        return source, names

    def _verdict(self, result: dict) -> Verdict:
        status = result.get("status", "crash")
        code, ok = _CODES.get(status, _CODES["crash"])
        details = {k: v for k, v in result.items() if k != "status"}
        message = _message(status, result)[:_MESSAGE_MAX]
        if status == "notchecked":
            return Verdict.not_checked(self.name, code, message, details=details)
        return Verdict(self.name, ok, code, message, details=details)


def _message(status: str, r: dict) -> str:
    if status == "ok":
        return f"{len(r.get('properties', []))} properties hold ({', '.join(r.get('properties', []))})"
    if status == "falsified":
        example = " ".join(r.get("counterexample", "").split())
        example = re.sub(r"^(Failing test case|Falsifying example): \w+\(\s*\)\s*", "", example)
        return f"{r.get('property')} falsified by {example} ({r.get('error', '')})"
    if status == "forbidden":
        return f"forbidden operation {r.get('operation')}: {r.get('detail', '')}"
    labels = {
        "timeout": "timed out", "memory": "memory limit exceeded", "crash": "crashed",
        "none": "no property applies", "fsize": "file-size limit exceeded", "notchecked": "not checked",
        "disk": "disk quota of the work dir exceeded",
    }  # fmt: skip
    return f"{labels.get(status, status)}: {r.get('detail', '')}".rstrip(": ")


@validators.register("properties")
def make_properties_validator(ctx: StageContext) -> PropertiesValidator:
    """Factory for the registry: limits from ``[tool.gfv.properties]``."""
    cfg = getattr(getattr(ctx, "config", None), "properties", None)
    if cfg is None:
        return PropertiesValidator()
    return PropertiesValidator(limits_from_config(cfg), cfg.workers)


def limits_from_config(cfg) -> Limits:
    """``Limits`` from a ``PropertiesConfig``."""
    return Limits(cfg.timeout_s, cfg.memory_mb, cfg.max_examples, cfg.disk_mb, cfg.require_isolation)
