"""A character n-gram model (KenLM) of one text column's observed values.

Each non-empty value is one sentence of characters (a space is ``▁``, other
whitespace ``<tab>``/``<nl>``/``<cr>``), estimated by ``lmplz`` (modified Kneser-Ney,
``--discount_fallback`` for small columns) and kept as an ARPA file under the cache
directory, keyed by the SHA-256 of the training text: an unchanged column is never
re-estimated, and a loaded model is reused in the process.  :meth:`ColumnLm.generate`
is a beam search over characters that yields whole values with their log10
probability, observed ones and new ones alike (``p(value)`` sums to 1 over all strings,
so it mixes with an empirical distribution).

Needs the ``kenlm`` module and the ``lmplz`` tool (``gfv train`` builds it); without them
:func:`column_model` returns None and says why.
"""

from __future__ import annotations

import hashlib
import heapq
import subprocess
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.files import atomic_write
from editor.paths import cache_dir

ORDER = 6
MAX_VALUES = 20_000  # the most recent values of a long column
SPECIAL = {" ": "▁", "\t": "<tab>", "\n": "<nl>", "\r": "<cr>"}
_BACK = {v: k for k, v in SPECIAL.items()}
EOS = "</s>"
_LOADED: OrderedDict[str, "ColumnLm"] = OrderedDict()
_KEEP = 16
_TOOLS: dict[str, Any] = {}


def to_tokens(value: str) -> list[str]:
    return [SPECIAL.get(c, c) for c in value]


def from_tokens(tokens: list[str]) -> str:
    return "".join(_BACK.get(t, t) for t in tokens)


@dataclass
class ColumnLm:
    """A loaded column model: KenLM over characters, its vocabulary and length bound."""

    lm: Any  # kenlm.Model
    vocab: list[str]
    min_len: int  # in characters, over the observed values
    max_len: int
    key: str

    def score(self, value: str) -> float:
        """log10 p(value), end of value included."""
        return float(self.lm.score(" ".join(to_tokens(value)), bos=True, eos=True))

    def generate(self, limit: int, beam: int = 24) -> list[tuple[str, float]]:
        """Up to ``limit`` whole values, most probable first: (value, log10 p).

        Only values as long as the observed ones (in characters) are kept.
        """
        import kenlm  # pylint: disable=import-outside-toplevel

        beam = max(beam, limit)  # values of one length all finish at the same step
        start = kenlm.State()
        self.lm.BeginSentenceWrite(start)
        beams: list[tuple[float, list[str], Any]] = [(0.0, [], start)]
        done: list[tuple[float, str]] = []
        for _ in range(self.max_len + 1):
            grown: list[tuple[float, list[str], Any]] = []
            for total, tokens, state in beams:
                if len(tokens) >= self.min_len:
                    end = kenlm.State()
                    done.append((total + self.lm.BaseScore(state, EOS, end), from_tokens(tokens)))
                for token in self.vocab:
                    out = kenlm.State()
                    grown.append((total + self.lm.BaseScore(state, token, out), [*tokens, token], out))
            beams = heapq.nlargest(beam, grown, key=lambda b: b[0])
            floor = heapq.nlargest(limit, done)[-1][0] if len(done) >= limit else float("-inf")
            beams = [b for b in beams if b[0] > floor]  # a longer value only loses probability
            if not beams:
                break
        best: dict[str, float] = {}
        for score, value in done:
            if score > best.get(value, float("-inf")):
                best[value] = score
        return sorted(best.items(), key=lambda kv: -kv[1])[:limit]


def _tools() -> Any:
    if "tools" not in _TOOLS:
        from editor.ngram.tools import existing_tools  # pylint: disable=import-outside-toplevel

        _TOOLS["tools"] = existing_tools()
    return _TOOLS["tools"]


def models_dir() -> Path:
    return cache_dir() / "ngram" / "columns"


def column_model(values: list[str]) -> tuple[ColumnLm | None, str | None]:
    """The model of these values (trained or cached), or (None, why not)."""
    try:
        import kenlm  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None, "the kenlm module is not installed (pip install 'gfv[llm]')"
    sentences = [" ".join(to_tokens(v)) for v in values if v][-MAX_VALUES:]
    if len(sentences) < 2:
        return None, "fewer than two values to learn from"
    text = "\n".join(sentences) + "\n"
    key = hashlib.sha256(f"order={ORDER}\n{text}".encode()).hexdigest()[:24]
    if key in _LOADED:
        _LOADED.move_to_end(key)
        return _LOADED[key], None
    arpa = models_dir() / f"{key}.arpa"
    if not arpa.is_file():
        why = _estimate(text, arpa)
        if why:
            return None, why
    vocab = sorted({t for s in sentences for t in s.split(" ")})
    lengths = [len(s.split(" ")) for s in sentences]
    config = kenlm.Config()
    config.show_progress = False  # KenLM writes a progress bar to stderr (under the TUI!)
    config.arpa_complain = kenlm.ARPALoadComplain.NONE
    model = ColumnLm(kenlm.Model(str(arpa), config), vocab, min(lengths), max(lengths), key)
    _LOADED[key] = model
    while len(_LOADED) > _KEEP:
        _LOADED.popitem(last=False)
    return model, None


def _estimate(text: str, arpa: Path) -> str | None:
    tools = _tools()
    if tools is None:
        return "KenLM's lmplz is not built yet (`gfv train` builds it)"
    arpa.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(tools.lmplz), "-o", str(ORDER), "--discount_fallback", "-S", "64M", "-T", str(arpa.parent)]
    try:
        proc = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"lmplz failed to run: {exc}"
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        return f"lmplz failed (exit {proc.returncode}): {tail[0]}"
    atomic_write(arpa, proc.stdout)
    return None
