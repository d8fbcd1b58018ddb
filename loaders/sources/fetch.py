"""Fetching http(s) URLs for ingest: a timeout, a size limit, and only the content types a
reader understands. Nothing else in rekg opens a network connection for documents."""
from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message

from rekg.graph.errors import InputError

from . import inputs as sources
from .inputs import human_size, is_url, sniff

#: Seconds to wait for a server to connect or send the next bytes.
TIMEOUT = 20.0
USER_AGENT = "rekg/0.1 (document loader; +https://github.com/)"
#: Content type -> reader kind; None means "judge by the content" (XML may be a feed or not).
CONTENT_TYPES: dict[str, str | None] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/xml": None,
    "text/xml": None,
    "application/pdf": "pdf",
}


@dataclass
class Fetched:
    """What a URL returned: its bytes, content type and the reader kind for them."""

    url: str
    final_url: str
    content_type: str
    kind: str
    data: bytes


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) URLs only (never to ftp: or file:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_url(newurl):
            raise urllib.error.HTTPError(newurl, code, f"redirect to a non-http URL {newurl}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def kind_for(content_type: str, data: bytes) -> str | None:
    """The reader kind for a response, or None when its content type is not loadable.

    >>> kind_for("text/html; charset=utf-8", b""), kind_for("application/xml", b"<rss>"), kind_for("image/png", b"")
    ('html', 'feed', None)
    """
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime not in CONTENT_TYPES:
        return None
    kind = CONTENT_TYPES[mime]
    if kind is None:
        sniffed = sniff(data)
        kind = sniffed if sniffed in ("feed", "html") else None
    return kind


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int | None = None) -> Fetched:
    """GET `url`; InputError with one line naming the URL when it cannot be loaded.

    At most `max_bytes` are read (default `rekg.loaders.sources.inputs.MAX_BYTES`).
    """
    max_bytes = sources.MAX_BYTES if max_bytes is None else max_bytes
    if not is_url(url):
        raise InputError(f"{url}: only http and https URLs are fetched")
    opener = urllib.request.build_opener(_HttpOnlyRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ", ".join(CONTENT_TYPES)})
    try:
        with opener.open(request, timeout=timeout) as response:
            headers: Message = response.headers
            content_type = headers.get("Content-Type") or "application/octet-stream"
            mime = content_type.split(";", 1)[0].strip().lower()
            if mime not in CONTENT_TYPES:
                raise InputError(f"{url}: content type {mime} is not loadable "
                                 f"(expected one of {', '.join(CONTENT_TYPES)})")
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"{url}: {human_size(int(length))} is over the {human_size(max_bytes)} "
                                 f"limit for one input")
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(f"{url}: over the {human_size(max_bytes)} limit for one input")
            final_url = response.geturl()
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise InputError(f"{url}: no answer within {timeout:g} s") from exc
        raise InputError(f"{url}: cannot connect ({getattr(reason, 'strerror', None) or reason})") from exc
    except TimeoutError as exc:
        raise InputError(f"{url}: no answer within {timeout:g} s") from exc
    except OSError as exc:
        raise InputError(f"{url}: connection failed ({exc})") from exc
    kind = kind_for(mime, data)
    if kind is None:
        raise InputError(f"{url}: {mime} that is neither an RSS/Atom feed nor HTML")
    if kind == "text":
        charset = Message()
        charset["Content-Type"] = content_type
        enc = charset.get_content_charset()
        if enc and enc.lower().replace("-", "") not in ("utf8", "utf16"):
            try:
                data = data.decode(enc).encode("utf-8")
            except (LookupError, UnicodeDecodeError) as exc:
                raise InputError(f"{url}: cannot decode as {enc} ({exc})") from exc
    return Fetched(url, final_url, mime, kind, data)
