"""JSON lines: one document per line, `{"text": ..., "title", "url", "date", "publisher"}`.

A broken line is reported as FILE:LINE with the reason; the other lines still load.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from rekg.graph.errors import InputError

from ..inputs import Problem, SourceDocument, decode, normalize_date

#: Keys a record may use for its fields, in order of preference.
_TEXT = ("text", "content", "body")
_URL = ("url", "link")
_DATE = ("date", "published", "published_at")


def _first(record: dict, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def parse_jsonl_line(line: str, where: str) -> SourceDocument | None:
    """One line -> a document (None for a blank line); InputError names `where` and the reason.

    The source is the record's `url` when it has one, else `where` (FILE:LINE).

    >>> parse_jsonl_line('{"text": "Lynas said.", "url": "https://x.org/1", "date": "2024-01-02"}', "f:1")
    SourceDocument(text='Lynas said.', source='https://x.org/1', title=None, publisher=None, published='2024-01-02')
    >>> parse_jsonl_line('{"title": "no text"}', "f:2")
    Traceback (most recent call last):
    ...
    rekg.graph.errors.InputError: f:2: no "text" field
    """
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError(f"{where}: JSON nested too deeply") from exc
    if not isinstance(record, dict):
        raise InputError(f"{where}: a line must be a JSON object, not {type(record).__name__}")
    text = _first(record, _TEXT)
    if text is None:
        raw = record.get("text")
        if raw is not None and not isinstance(raw, str):
            raise InputError(f'{where}: "text" must be a string, not {type(raw).__name__}')
        raise InputError(f'{where}: no "text" field' if raw is None else f'{where}: empty "text"')
    url = _first(record, _URL)
    title = record.get("title")
    publisher = record.get("publisher")
    return SourceDocument(
        text=text,
        source=url or where,
        title=title.strip() or None if isinstance(title, str) else None,
        publisher=publisher.strip() or None if isinstance(publisher, str) else None,
        published=normalize_date(_first(record, _DATE)),
    )


def read_jsonl(data: bytes, source: str) -> Iterator[SourceDocument | Problem]:
    """Every good line as a document, every bad one as a Problem naming FILE:LINE."""
    text = decode(data, source)
    good = 0
    bad: list[Problem] = []
    for n, line in enumerate(text.splitlines(), 1):
        try:
            doc = parse_jsonl_line(line, f"{source}:{n}")
        except InputError as exc:
            bad.append(Problem(str(exc)))
            yield bad[-1]
            continue
        if doc is not None:
            good += 1
            yield doc
    if not good and not bad:
        raise InputError(f"{source}: no JSON lines")
