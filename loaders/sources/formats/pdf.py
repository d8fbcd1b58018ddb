"""PDF files: the text of each page (pypdf), the title and date from the document's metadata."""
from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pypdf
from pypdf.errors import PyPdfError
from rekg.graph.errors import InputError

from ..inputs import Problem, SourceDocument, normalize_date

#: What pypdf raises on damaged files besides its own errors: its parser gives up in many ways.
_DAMAGE = (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError,
           RecursionError, OSError, ZeroDivisionError)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs every repair it makes; a damaged file gets one line from us instead."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR + 10)
    try:
        yield
    finally:
        log.setLevel(level)


def _meta_date(meta) -> str | None:
    for key in ("/CreationDate", "/ModDate"):
        value = meta.get(key) if meta is not None else None
        date = normalize_date(str(value)) if value else None
        if date:
            return date
    return None


def read_pdf(data: bytes, source: str) -> Iterator[SourceDocument | Problem]:
    """One document: the pages' text in order (a page that cannot be read is a Problem)."""
    pages: list[str] = []
    problems: list[Problem] = []
    with _quiet_pypdf():
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(f"{source}: the PDF is encrypted")
            meta = reader.metadata
            count = len(reader.pages)
        except InputError:
            raise
        except _DAMAGE as exc:
            raise InputError(f"{source}: damaged or truncated PDF ({type(exc).__name__}: {exc})") from exc
        for n in range(count):
            try:
                pages.append(reader.pages[n].extract_text() or "")
            except _DAMAGE as exc:
                problems.append(Problem(f"{source}: page {n + 1} cannot be read ({type(exc).__name__}: {exc})"))
        try:
            title = (meta.title or "").strip() if meta is not None else ""
            published = _meta_date(meta)
        except _DAMAGE:
            title, published = "", None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        if problems:
            raise InputError(f"{source}: damaged PDF, no page could be read ({problems[0].message})")
        raise InputError(f"{source}: no text in the PDF ({count} page(s); a scanned PDF needs OCR first)")
    if not title:
        title = next(ln.strip() for ln in text.splitlines() if ln.strip())[:200]
    yield SourceDocument(text=text, source=source, title=title, published=published)
    yield from problems
