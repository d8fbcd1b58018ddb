"""Sources: files, folders, standard input and URLs -> `SourceDocument`s (text plus title,
source, publisher and date where the input has them).

A reader is chosen by extension, else by content: plain text and Markdown here; HTML, RSS/Atom,
PDF, JSONL and curated CSV facts in `rekg.loaders.sources.formats`. A reader raises InputError when the
whole input is unusable and yields a `Problem` for a bad part (a JSONL line, a CSV row) while
the rest still loads. Pure parsers (`parse_front_matter`, `normalize_date`, `sniff`) are
separate from the functions that read files.
"""
from __future__ import annotations

import calendar
import email.utils
import fnmatch
import importlib
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from rekg.graph.errors import InputError

#: Largest input read, in bytes; bigger ones are refused with a clear reason.
MAX_BYTES = 20 * 1024 * 1024
#: The source name of documents read from standard input.
STDIN = "<stdin>"


@dataclass
class SourceDocument:
    """A document as read from its source, before cleaning."""

    text: str
    source: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None


@dataclass
class Problem:
    """A part of an input that could not be read (one line: where, and why); the rest loads."""

    message: str


# -- dates ----------------------------------------------------------------------------------
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}.*|Z)?")
_COMPACT = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(?:\d{2,6}.*)?")  # 20211209, PDF "D:20211209103000+01'00'"
_DAY_MONTH_YEAR = re.compile(rf"(?:\w+,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b.*", re.I)
_MONTH_DAY_YEAR = re.compile(rf"(?:\w+,?\s+)?{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b.*", re.I)
_MONTH_YEAR = re.compile(rf"{_MONTH},?\s+(\d{{4}})", re.I)


def _ymd(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def normalize_date(value: Any) -> str | None:
    """A date as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, from the forms documents give; None if unknown.

    Accepts ISO dates and timestamps, RFC 822 (feeds), PDF dates, "9 December 2021",
    "December 9, 2021", "Dec 2021", `date`/`datetime` and `time.struct_time`. Day-first or
    month-first numeric forms such as 09/12/2021 are ambiguous and give None.

    >>> normalize_date("2021-12-09T10:00:00Z"), normalize_date("Thu, 09 Dec 2021 10:00:00 GMT")
    ('2021-12-09', '2021-12-09')
    >>> normalize_date("D:20211209103000+01'00'"), normalize_date("December 9, 2021"), normalize_date("Dec 2021")
    ('2021-12-09', '2021-12-09', '2021-12')
    >>> normalize_date("2021-02-30"), normalize_date("09/12/2021"), normalize_date("soon")
    (None, None, None)
    """
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return _ymd(value.year, value.month, value.day)
    if isinstance(value, time.struct_time):
        return _ymd(value.tm_year, value.tm_mon, value.tm_mday)
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 100:
        return None
    m = _ISO.fullmatch(s)
    if m:
        return _ymd(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    m = _COMPACT.fullmatch(s)
    if m and (s.startswith("D") or len(s) >= 8):
        return _ymd(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    m = _DAY_MONTH_YEAR.fullmatch(s)
    if m:
        return _ymd(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    m = _MONTH_DAY_YEAR.fullmatch(s)
    if m:
        return _ymd(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    m = _MONTH_YEAR.fullmatch(s)
    if m:
        return _ymd(int(m[2]), _MONTHS[m[1].lower()])
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None
    return _ymd(parsed.year, parsed.month, parsed.day)


# -- text -----------------------------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:(.*?)\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split `key: value` front matter between `---` lines from the body.

    Keys are lowercased; values lose surrounding spaces and quotes. Text without front
    matter comes back unchanged with an empty dict.

    >>> parse_front_matter("---\\ntitle: 'Lynas'\\nDate: 2023-11-08\\n---\\nBody")
    ({'title': 'Lynas', 'date': '2023-11-08'}, 'Body')
    >>> parse_front_matter("No front matter")
    ({}, 'No front matter')
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in (m.group(1) or "").splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            meta[key] = value
    return meta, text[m.end():]


def decode(data: bytes, where: str) -> str:
    """Bytes -> text: UTF-8 (BOM optional) or UTF-16 with a BOM; binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{where}: not valid UTF-16 (byte {exc.start})") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise InputError(f"{where}: binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not valid UTF-8 (byte {exc.start}: 0x{data[exc.start]:02x}); "
                         f"save it as UTF-8") from exc
    head = text[:4096]
    if head and len(_CONTROL.findall(head)) > len(head) / 100:
        raise InputError(f"{where}: binary data, not text")
    return text


def read_text(data: bytes, source: str) -> Iterator[SourceDocument]:
    """A text or Markdown document: the title is the front matter's `title` or the first line."""
    text = decode(data, source)
    meta, text = parse_front_matter(text)
    title = meta.get("title")
    if not title:
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        title = first.lstrip("# ").strip()[:200] or Path(source).stem
    yield SourceDocument(text=text, source=source, title=title,
                         publisher=meta.get("publisher") or meta.get("source") or None,
                         published=normalize_date(meta.get("date") or meta.get("published")))


# -- choosing a reader ----------------------------------------------------------------------
#: Reader kind by file extension; a folder walk loads these extensions only.
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".pdf": "pdf",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "facts",
}
_FEED_TAGS = ("<rss", "<feed", "<rdf:rdf", "<channel")


def sniff(data: bytes) -> str:
    """The reader kind for `data` judged by its first bytes: pdf, feed, html, jsonl, facts or text.

    >>> sniff(b"%PDF-1.7"), sniff(b'<?xml version="1.0"?><rss>'), sniff(b"<!DOCTYPE html><p>")
    ('pdf', 'feed', 'html')
    >>> sniff(b'{"text": "x"}'), sniff(b"head,head_type,relation,tail"), sniff(b"Lynas said")
    ('jsonl', 'facts', 'text')
    """
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:4096].decode("utf-16", "replace")
    else:
        head = data[:4096].decode("utf-8", "replace")
    head = head.lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<"):
        if any(tag in head for tag in _FEED_TAGS) and "<html" not in head[:200]:
            return "feed"
        return "html"
    if head.startswith("{"):
        return "jsonl"
    first = head.split("\n", 1)[0]
    columns = {c.strip().strip('"') for c in first.split(",")}
    if {"head", "relation", "tail"} <= columns:
        return "facts"
    return "text"


#: kind -> (module under rekg.loaders.sources.formats, reader function)
_FORMAT_READERS = {
    "html": (".formats.html_page", "read_html"),
    "feed": (".formats.feed", "read_feed"),
    "pdf": (".formats.pdf", "read_pdf"),
    "jsonl": (".formats.jsonl", "read_jsonl"),
    "facts": (".formats.facts", "read_facts"),
}


def read_data(data: bytes, source: str, kind: str | None = None) -> Iterator[Any]:
    """Every document (or Problem, or CuratedFacts) in `data`, read as `kind` (sniffed when None)."""
    if not data.strip():
        raise InputError(f"{source}: empty, nothing to load")
    kind = kind or sniff(data)
    if kind == "text":
        yield from read_text(data, source)
        return
    if kind not in _FORMAT_READERS:
        raise ValueError(f"unknown reader kind {kind!r}")
    module, function = _FORMAT_READERS[kind]  # imported on first use: trafilatura, pypdf … load slowly
    yield from getattr(importlib.import_module(module, __package__), function)(data, source)


def human_size(n: float) -> str:
    """A byte count for people.

    >>> human_size(52428800), human_size(1536), human_size(100)
    ('50 MB', '1.5 KB', '100 bytes')
    """
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{int(n)} bytes"


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of `path`, refusing files over `limit` (default MAX_BYTES) with a clear reason."""
    limit = MAX_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"{path}: {human_size(size)} is over the {human_size(limit)} limit for one input")
        return path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a folder") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def read_stream(stream: BinaryIO, source: str = STDIN, limit: int | None = None) -> bytes:
    """At most `limit` bytes of a stream (standard input); more is refused."""
    limit = MAX_BYTES if limit is None else limit
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{source}: over the {human_size(limit)} limit for one input")
    return data


def read_path(path: Path) -> list[Any]:
    """Every document in one file; InputError names the file and the reason."""
    source = os.path.abspath(path)  # the name every message and the Document use
    return list(read_data(read_bytes(Path(source)), source, EXTENSIONS.get(path.suffix.lower())))


# -- inputs: files, folders, standard input, URLs -------------------------------------------
@dataclass(frozen=True)
class Input:
    """One thing to read: a file, standard input (`-`) or an http(s) URL."""

    kind: str  # "file", "stdin" or "url"
    value: str

    def __str__(self) -> str:
        return STDIN if self.kind == "stdin" else self.value


def is_url(text: str) -> bool:
    """Whether `text` is an http(s) URL.

    >>> is_url("https://example.org/a"), is_url("notes/https.txt")
    (True, False)
    """
    return bool(re.match(r"https?://", text, re.I))


def _scandir(path: Path) -> list[os.DirEntry[str]]:
    with os.scandir(path) as it:
        return list(it)


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or ("/" not in p and fnmatch.fnmatch(name, p)) for p in patterns)


def walk(folder: Path, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Iterator[Path | Problem]:
    """Files under `folder`, sorted, recursively; hidden files and folders are skipped.

    Without `include`, files with a known extension (EXTENSIONS); globs match the path relative
    to `folder` or, without a '/', the file name. A folder that cannot be listed is a Problem.
    """
    seen: set[str] = set()  # real paths of the folders visited: a symlink loop is walked once
    dir_patterns = [p.rstrip("/") for p in exclude]

    def visit(current: Path, rel: str) -> Iterator[Path | Problem]:
        real = os.path.realpath(current)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(_scandir(current), key=lambda e: e.name)
        except PermissionError:
            yield Problem(f"{current}: permission denied")
            return
        except OSError as exc:
            yield Problem(f"{current}: cannot list ({exc.strerror or exc})")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child_rel = f"{rel}{entry.name}"
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not (exclude and _matches(child_rel, dir_patterns)):
                    yield from visit(Path(entry.path), child_rel + "/")
                continue
            if include:
                if not _matches(child_rel, include):
                    continue
            elif Path(entry.name).suffix.lower() not in EXTENSIONS:
                continue
            if exclude and _matches(child_rel, exclude):
                continue
            yield Path(entry.path)

    yield from visit(folder, "")


def collect_inputs(paths: Iterable[str | Path], include: Sequence[str] = (),
                   exclude: Sequence[str] = ()) -> tuple[list[Input], list[str]]:
    """The inputs named by `paths` (folders expanded) and a line for each that does not exist.

    Globs filter what folder walks find; a file named explicitly is always read.
    """
    inputs: list[Input] = []
    problems: list[str] = []
    seen: set[str] = set()

    def add(item: Input) -> None:
        key = os.path.abspath(item.value) if item.kind == "file" else item.value
        if item.kind == "stdin" or key not in seen:
            seen.add(key)
            inputs.append(item)

    for p in paths:
        text = str(p)
        if text == "-":
            add(Input("stdin", "-"))
            continue
        if is_url(text):
            add(Input("url", text))
            continue
        path = Path(text)
        if path.is_dir():
            for found in walk(path, include, exclude):
                if isinstance(found, Problem):
                    problems.append(found.message)
                else:
                    add(Input("file", str(found)))
        elif path.exists():
            add(Input("file", text))
        else:
            problems.append(f"{path}: no such file or folder")
    return inputs, problems


def read_input(item: Input, stdin: BinaryIO | None = None, fetch_timeout: float | None = None) -> list[Any]:
    """Every document (or Problem, or CuratedFacts) of one input; InputError says why not."""
    if item.kind == "file":
        return read_path(Path(item.value))
    if item.kind == "stdin":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return list(read_data(read_stream(stream), STDIN))
    from .fetch import fetch

    got = fetch(item.value, **({"timeout": fetch_timeout} if fetch_timeout else {}))
    return list(read_data(got.data, item.value, got.kind))

