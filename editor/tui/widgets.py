"""The editor's widgets: the code area (with version counter and ghost text), candidate panel, status bar."""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import events
from textual.widgets import Static, TextArea

from editor.candidates import Candidate

GHOST_MORE = " ⏎…"


class KeyHook:  # pylint: disable=too-few-public-methods
    """Mixin for a widget: ``key_hook(key) -> bool`` is asked first about every key; True means
    the app handled it (the widget's own key handling and bindings are skipped)."""

    key_hook: Callable[[str], bool] | None = None

    async def _on_key(self, event: events.Key) -> None:
        if self.key_hook is not None and self.key_hook(event.key):  # pylint: disable=not-callable
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)  # type: ignore[misc]  # pylint: disable=no-member


class CodeArea(KeyHook, TextArea):
    """A code TextArea that counts edits synchronously and lets the app claim keys.

    ``version`` goes up on every edit, undo, redo and load, before any message is
    handled, so a suggestion made for an older version can always be recognised.
    ``key_hook(key) -> bool`` is asked first about every key; True means the app
    handled it (Tab accepts a candidate only while candidates are shown, etc.).
    The inline ghost preview is TextArea's ``suggestion`` (drawn at the cursor).
    """

    def __init__(self, *args: Any, key_hook: Callable[[str], bool] | None = None, **kwargs: Any) -> None:
        self.version = 0
        self.key_hook = key_hook
        super().__init__(*args, **kwargs)

    def edit(self, edit: Any) -> Any:
        self.version += 1
        return super().edit(edit)

    def _undo_batch(self, edits: Any) -> None:
        self.version += 1
        super()._undo_batch(edits)

    def _redo_batch(self, edits: Any) -> None:
        self.version += 1
        super()._redo_batch(edits)

    def _set_document(self, text: str, language: Any) -> None:
        self.version += 1
        super()._set_document(text, language)

    def action_cursor_right(self, select: bool = False) -> None:
        # TextArea inserts its suggestion on Right; in gfv, Tab accepts and Right only moves.
        self.suggestion = ""
        super().action_cursor_right(select)

    def set_ghost(self, text: str) -> None:
        first, _, rest = text.partition("\n")
        self.suggestion = first + (GHOST_MORE if rest else "")


def badge(verdict: Any) -> Text:
    if not getattr(verdict, "checked", True):  # the validator could not judge: never a pass
        return Text(f"?{verdict.validator}", style="bold yellow")
    mark = "✓" if verdict.ok else "✗"
    return Text(f"{mark}{verdict.validator}", style="green" if verdict.ok else "bold red")


def reason(verdict: Any) -> str:
    """Why a verdict rejects: code and message, labelled "not checked" when the validator could not judge."""
    if getattr(verdict, "checked", True) or verdict.message.startswith("not checked"):
        return f"{verdict.code} {verdict.message}"
    return f"{verdict.code} not checked: {verdict.message}"


def score_text(scores: dict[str, float]) -> str:
    parts = [f"{k}={scores[k]:.2f}" for k in ("ngram", "llm", "final") if scores.get(k) is not None]
    return " ".join(parts)


def one_line(text: str, width: int = 48) -> str:
    flat = text.replace("\n", "⏎")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def label(cand: Candidate, width: int = 48) -> str:
    """A candidate's text in one row; a block is marked with its line count (``▤4 ``) and its first line."""
    if cand.kind != "block":
        return one_line(cand.text, width)
    n = cand.text.count("\n") + 1
    return one_line(f"▤{n} " + cand.text.split("\n", 1)[0].strip() + " ⏎…", width)


def block_preview(cand: Candidate, typed: str) -> list[Text]:
    """The whole block as it would be inserted, one dim row a line (the multi-line ghost)."""
    lines = (typed + cand.text).split("\n")
    return [Text(f"  {i:>2}│ {line}", style="dim italic") for i, line in enumerate(lines, 1)]


class CandidatePanel(Static):
    """Ranked candidates (text, source, scores, one badge per validator) and, on demand, the rejected."""

    DEFAULT_CSS = """
    CandidatePanel {
        height: auto;
        max-height: 16;
        border: round $primary;
        padding: 0 1;
        display: none;
    }
    CandidatePanel.-visible { display: block; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.candidates: list[Candidate] = []
        self.rejected: list[Candidate] = []
        self.selected = 0
        self.show_rejected = False
        self.typed = ""
        self.note = ""

    def show(
        self, candidates: list[Candidate], rejected: list[Candidate], typed: str, note: str = ""
    ) -> None:
        self.candidates, self.rejected, self.typed, self.note = candidates, rejected, typed, note
        self.selected = 0
        self.redraw()

    def clear(self) -> None:
        self.candidates, self.rejected, self.note = [], [], ""
        self.redraw()

    def redraw(self) -> None:
        visible = bool(self.candidates or self.note or (self.show_rejected and self.rejected))
        self.set_class(visible, "-visible")
        self.border_title = f"candidates ({len(self.candidates)})" if self.candidates else "candidates"
        n_rej = len(self.rejected)
        line = " · Ctrl+↓ one line" if any(c.kind == "block" for c in self.candidates) else ""
        self.border_subtitle = f"Tab accept{line} · ↑↓ cycle · Esc dismiss · F2 trace · F4 rejected ({n_rej})"
        self.update(self.render_table())

    def render_table(self) -> Text:
        rows = self.candidates + (self.rejected if self.show_rejected else [])
        text_w = max([len(label(c)) for c in rows] + [12])
        meta_w = max([len(f"{c.source:<8} {score_text(c.scores)}") for c in self.candidates] + [8])
        lines: list[Text] = []
        avail = (self.content_size.width or 96) - (text_w + meta_w + 6)

        def row(marker: Text, text: Text, meta: Text, tail: Text) -> None:
            text.pad_right(text_w - len(text))
            meta.pad_right(meta_w - len(meta))
            lines.append(
                Text.assemble(marker, " ", text, "  ", meta, "  ", tail, no_wrap=True, overflow="ellipsis")
            )

        for i, cand in enumerate(self.candidates):
            sel = i == self.selected
            row(
                Text("›" if sel else " ", style="bold"),
                Text(label(cand), style="reverse" if sel else ""),
                Text(f"{cand.source:<8} {score_text(cand.scores)}", style="dim"),
                Text(" ").join(
                    [badge(v) for v in cand.verdicts]
                    + [Text(f"⋯{name}", style="dim yellow") for name in cand.origin.get("pending", [])]
                ),
            )
        current = self.current
        if current is not None and current.kind == "block" and not self.show_rejected:
            lines.extend(block_preview(current, self.typed))
        if self.note and not self.candidates:
            lines.append(Text(self.note, style="italic"))
        if self.show_rejected and self.rejected:
            lines.append(Text(f"rejected ({len(self.rejected)})", style="bold"))
            for cand in self.rejected:
                why = "; ".join(reason(v) for v in cand.failures)
                unchecked = all(not v.checked for v in cand.failures)
                row(
                    Text("?", style="yellow") if unchecked else Text("✗", style="red"),
                    Text(one_line(cand.text), style="dim"),
                    Text(cand.source, style="dim"),
                    Text(one_line(why, max(12, avail)), style="red"),
                )
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)

    def cycle(self, step: int) -> Candidate | None:
        if not self.candidates:
            return None
        self.selected = (self.selected + step) % len(self.candidates)
        self.redraw()
        return self.candidates[self.selected]

    @property
    def current(self) -> Candidate | None:
        return self.candidates[self.selected] if self.candidates else None


class StatusBar(Static):
    """File, cursor, model in use, last latency, validators on."""

    DEFAULT_CSS = """
    StatusBar { dock: bottom; height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def set_fields(self, **fields: str) -> None:
        sep = " │ "
        self.update(Text(sep.join(v for v in fields.values() if v)))
