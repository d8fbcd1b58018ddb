"""HTML pages: the main text (not navigation, headers or footers) via trafilatura, and the
title, date and site name from the page's metadata."""
from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import lxml.html
import trafilatura
from lxml import etree
from rekg.graph.errors import InputError

from ..inputs import SourceDocument, is_url, normalize_date

#: Elements that are never main text, dropped by the fallback when trafilatura finds nothing.
_CHROME = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template")
#: Only dates the page states in its metadata or markup, never a guess from the text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _markup(data: bytes, source: str) -> str | bytes:
    """Text when the encoding is certain (UTF-8, or a BOM); else the bytes, for trafilatura to decode."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if b"\x00" in data[:4096]:
        raise InputError(f"{source}: binary data, not HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data


def fallback_text(markup: str | bytes) -> str:
    """The visible text of a page without scripts and page chrome, for pages trafilatura skips.

    >>> fallback_text("<nav>Home</nav><p>Lynas <b>Rare Earths</b></p><p>Second")
    'Lynas Rare Earths\\nSecond'
    """
    try:
        root = lxml.html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("|".join(f"//{tag}" for tag in _CHROME)):
        bad.drop_tree()
    parts = (" ".join(chunk.split()) for chunk in _block_texts(root))
    return "\n".join(p for p in parts if p)


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "section", "article",
           "blockquote", "pre", "dd", "dt", "title"}


def _block_texts(root) -> list[str]:
    """Text of each block element, not counting text of nested blocks twice."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append("".join(buf))
            buf.clear()

    def visit(el) -> None:
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el.tail:
                buf.append(el.tail)
            return
        block = el.tag in _BLOCKS
        if block:
            flush()
        if el.tag == "title":
            if el.tail:
                buf.append(el.tail)
            return
        if el.text:
            buf.append(el.text)
        for child in el:
            visit(child)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)

    visit(root)
    flush()
    return out


def read_html(data: bytes, source: str) -> Iterator[SourceDocument]:
    """One document: the page's main text, title, site name (or host) and date."""
    markup = _markup(data, source)
    url = source if is_url(source) else None
    try:
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True, include_comments=False,
                                          date_extraction_params=_DATE_PARAMS)
    except (ValueError, TypeError, etree.LxmlError) as exc:  # trafilatura re-raises parser errors
        raise InputError(f"{source}: cannot parse the HTML ({exc})") from exc
    text = (doc.text if doc is not None else None) or fallback_text(markup)
    if not text or not text.strip():
        raise InputError(f"{source}: no text found in the HTML page")
    title = publisher = published = None
    if doc is not None:
        title, publisher, published = doc.title, doc.sitename, normalize_date(doc.date)
    if not publisher and url:
        publisher = urlparse(url).hostname
    title = (title or "").strip() or next(ln.strip() for ln in text.splitlines() if ln.strip())[:200]
    yield SourceDocument(text=text, source=source, title=title,
                         publisher=publisher or None, published=published)
