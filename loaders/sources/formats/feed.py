"""RSS and Atom feeds: one document per item, with the item's link as its source, its date,
the feed's title as publisher, and its content (or summary) with the HTML stripped."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import feedparser
from rekg.graph.errors import InputError

from ..inputs import Problem, SourceDocument, is_url, normalize_date
from .html_page import fallback_text

#: feedparser's complaints that do not mean the feed is damaged.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def describe_damage(exc: BaseException) -> str:
    """feedparser's error as 'line L, column C: reason'.

    >>> describe_damage(ValueError("<unknown>:4:28: unclosed token"))
    'line 4, column 28: unclosed token'
    """
    m = re.match(r"<[^>]*>:(\d+):(\d+): (.*)", str(exc))
    return f"line {m[1]}, column {m[2]}: {m[3]}" if m else str(exc)


def item_text(entry: Any) -> str:
    """An item's body as plain text: the longest of its content parts, else its summary.

    >>> item_text({"summary": "<p>MP Materials will supply <b>GM</b>.</p>"})
    'MP Materials will supply GM.'
    """
    parts = [c for c in (entry.get("content") or []) if c.get("value")]
    if parts:
        best = max(parts, key=lambda c: len(c["value"]))
        value, kind = best["value"], best.get("type") or "text/html"
    else:
        value = entry.get("summary") or ""
        kind = (entry.get("summary_detail") or {}).get("type") or "text/html"
    if not value.strip():
        return ""
    if "html" in kind or "<" in value:
        return fallback_text(f"<div>{value}</div>") or ""
    return value.strip()


def read_feed(data: bytes, source: str) -> Iterator[SourceDocument | Problem]:
    """One document per item; a damaged feed still yields the items read before the damage."""
    parsed = feedparser.parse(data)
    damage = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(damage, _HARMLESS):
        damage = None
    if not parsed.get("version") and not parsed.entries:
        reason = f" ({describe_damage(damage)})" if damage else ""
        raise InputError(f"{source}: not an RSS or Atom feed{reason}")
    publisher = (parsed.feed.get("title") or "").strip() or None
    found = 0
    for n, entry in enumerate(parsed.entries, 1):
        title = (entry.get("title") or "").strip()
        if title and "<" in title:
            title = fallback_text(f"<div>{title}</div>")
        body = item_text(entry)
        link = entry.get("link") or ""
        where = link if is_url(link) else f"{source}#{entry.get('id') or n}"
        if not body and not title:
            yield Problem(f"{where}: feed item {n} has no text")
            continue
        text = f"{title}\n\n{body}" if title and body and not body.startswith(title) else (body or title)
        date = None
        for key in ("published_parsed", "updated_parsed", "published", "updated", "created"):
            date = normalize_date(entry.get(key))
            if date:
                break
        found += 1
        yield SourceDocument(text=text, source=where, title=title or None, publisher=publisher,
                             published=date)
    if damage is not None:
        if not found:
            raise InputError(f"{source}: malformed feed ({describe_damage(damage)}); no item could be read")
        yield Problem(f"{source}: malformed feed ({describe_damage(damage)}); read {found} item(s) before the damage")
    elif not found and not parsed.entries:
        raise InputError(f"{source}: the feed has no items")
