"""Reading files for editing and writing them back without ever leaving a half-written file.

* :func:`read_for_edit` refuses what an editor must not open (a directory, binary or
  non-UTF-8 content) with a :class:`~editor.errors.GfvError`, and returns the text with
  ``\\n`` line endings, the file's own line ending and a :class:`DiskStamp`.
* :func:`atomic_write` writes a temporary file in the same directory, fsyncs it,
  gives it the target's mode and renames it over the target (``os.replace``), then
  fsyncs the directory.  A crash leaves either the old or the new file, never a mix.
* :func:`changed_on_disk` tells whether the file changed behind the editor's back.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from editor.errors import ExitCode, GfvError

BOM = b"\xef\xbb\xbf"  # the UTF-8 byte-order mark: dropped from the text, kept on save


@dataclass(frozen=True)
class DiskStamp:
    """What the file on disk looked like when it was read or written."""

    mtime_ns: int
    size: int
    sha256: str


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    text: str  # with "\n" line endings
    newline: str  # "\n" or "\r\n": what the file used, restored on save
    stamp: DiskStamp | None  # None: the file does not exist yet (created on first save)
    bom: bool = False  # the file starts with a UTF-8 byte-order mark, written back on save

    @property
    def exists(self) -> bool:
        return self.stamp is not None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(path: Path, data: bytes) -> DiskStamp:
    st = path.stat()
    return DiskStamp(st.st_mtime_ns, st.st_size, sha256_bytes(data))


def disk_stamp(path: Path) -> DiskStamp | None:
    """The current stamp of ``path``, or None if it does not exist (or is not a regular file)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return _stamp(path, data)


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 text of ``data``; GfvError (exit 2) for binary or non-UTF-8 content."""
    if b"\x00" in data:
        raise GfvError(f"{path}: looks binary (contains NUL bytes); gfv edits text files", ExitCode.USAGE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GfvError(
            f"{path}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first", ExitCode.USAGE
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_existing_text(path: Path) -> tuple[str, bytes]:
    """(text, raw bytes) of an existing UTF-8 text file; GfvError (exit 2) for a missing
    file, a directory, binary or non-UTF-8 content."""
    path = Path(path)
    if not path.exists():
        raise GfvError(f"{path}: no such file", ExitCode.USAGE)
    if path.is_dir():
        raise GfvError(f"{path}: is a directory, not a file", ExitCode.USAGE)
    data = path.read_bytes()
    return decode_text(path, data), data


def read_for_edit(path: Path) -> LoadedFile:
    """Open ``path`` for editing; a missing file is fine (it is created on first save)."""
    path = Path(path)
    if path.is_dir():
        raise GfvError(f"{path}: is a directory, not a file", ExitCode.USAGE)
    if not path.exists():
        if not path.parent.is_dir():
            raise GfvError(f"{path}: the folder {path.parent} does not exist", ExitCode.USAGE)
        return LoadedFile(path, "", "\n", None)
    if not path.is_file():
        raise GfvError(f"{path}: not a regular file", ExitCode.USAGE)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GfvError(f"{path}: cannot read: {exc.strerror or exc}", ExitCode.USAGE) from None
    text = decode_text(path, data)
    newline = "\r\n" if "\r\n" in text else "\n"
    return LoadedFile(path, text.replace("\r\n", "\n"), newline, _stamp(path, data), data.startswith(BOM))


def changed_on_disk(path: Path, stamp: DiskStamp | None) -> bool:
    """True when the file differs from ``stamp`` (created, deleted or rewritten since)."""
    current = disk_stamp(path)
    if stamp is None or current is None:
        return (stamp is None) != (current is None)
    if (current.mtime_ns, current.size) == (stamp.mtime_ns, stamp.size):
        return False
    return current.sha256 != stamp.sha256  # touched but identical content is not a change


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: str | bytes, newline: str = "\n", bom: bool = False) -> DiskStamp:
    """Replace ``path``'s content atomically; keep its mode (new files: 0o666 & ~umask).

    ``str`` data is encoded as UTF-8 with ``\\n`` turned into ``newline``, after a byte-order
    mark when ``bom``.  A symlink is followed: its target is replaced, the link stays.
    Returns the new :class:`DiskStamp`.
    """
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    if isinstance(data, str):
        if newline != "\n":
            data = data.replace("\r\n", "\n").replace("\n", newline)
        data = (BOM if bom else b"") + data.encode("utf-8")
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gfv-tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return _stamp(path, data)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
