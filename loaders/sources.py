"""Sources: files and folders -> `SourceDocument`s (text plus title, source, publisher, date).

Plain text and Markdown here; the other formats plug in by extension through `READERS`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError

#: Largest file read, in bytes; bigger ones are refused with a clear reason.
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class SourceDocument:
    """A document as read from its source, before cleaning."""

    text: str
    source: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start})") from exc


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: {size // (1024 * 1024)} MB is over the {MAX_BYTES // (1024 * 1024)} MB limit")
        return path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def read_text_file(path: Path) -> Iterator[SourceDocument]:
    """A .txt or .md file: the title is the front matter's `title` or the first line."""
    text = _decode(read_bytes(path), path)
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("'\"")
        text = text[m.end():]
    title = meta.get("title")
    if not title:
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        title = first.lstrip("# ").strip()[:200] or path.stem
    date = meta.get("date") or meta.get("published")
    yield SourceDocument(text=text, source=str(path), title=title,
                         publisher=meta.get("publisher") or meta.get("source"),
                         published=date if date and _DATE.match(date) else None)


READERS: dict[str, Callable[[Path], Iterable[SourceDocument]]] = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".markdown": read_text_file,
}


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths (folders recursively, sorted), readable extensions only.

    A path that does not exist raises InputError.
    """
    for p in paths:
        path = Path(p)
        if path.is_dir():
            try:
                children = sorted(path.rglob("*"))
            except PermissionError as exc:
                raise InputError(f"{path}: permission denied") from exc
            for child in children:
                if child.is_file() and child.suffix.lower() in READERS \
                        and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        elif path.exists():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def read_path(path: Path) -> list[SourceDocument]:
    """Every document in one file; InputError names the file and the reason."""
    reader = READERS.get(path.suffix.lower(), read_text_file)
    return list(reader(path))
