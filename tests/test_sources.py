"""Sources: each format read into documents with title, source, publisher and date; folder
walks with globs; standard input; URLs from a local http.server only."""
from __future__ import annotations

import http.server
import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rekg.graph.errors import InputError
from rekg.loaders.sources.formats.facts import CuratedFacts, facts_batch
from rekg.loaders.sources.inputs import (
    STDIN,
    Input,
    Problem,
    SourceDocument,
    collect_inputs,
    read_data,
    read_input,
    read_path,
    sniff,
)

from .conftest import ROOT

HTML = """<!DOCTYPE html><html><head><title>Lynas opens Kalgoorlie plant | Mining Weekly</title>
<meta property="og:site_name" content="Mining Weekly">
<meta property="article:published_time" content="2023-11-08T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/markets">Markets and commodities</a> <a href="/about">About us</a></nav>
<header>Subscribe to our newsletter for daily news</header>
<article><h1>Lynas opens Kalgoorlie plant</h1>
<p>Lynas Rare Earths opened its rare earths processing facility in Kalgoorlie, Western Australia,
on Wednesday. The plant cracks and leaches concentrate from the Mount Weld mine.</p>
<p>Chief executive Amanda Lacaze said the facility would supply the company's Malaysian operations.
The project received support from the Australian government.</p>
</article>
<footer>Copyright 2023 Mining Weekly. All rights reserved. Privacy policy.</footer>
</body></html>"""

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Rare Earth Wire</title><link>https://news.example.org/</link>
<item><title>MP Materials signs magnet deal with General Motors</title>
<link>https://news.example.org/mp-gm</link><pubDate>Thu, 09 Dec 2021 10:00:00 GMT</pubDate>
<description>&lt;p&gt;MP Materials will supply &lt;b&gt;General Motors&lt;/b&gt; with rare earth magnets
from a new factory in Fort Worth, Texas.&lt;/p&gt;</description></item>
<item><title>Lynas wins Pentagon contract</title><link>https://news.example.org/lynas-dod</link>
<pubDate>Tue, 14 Jun 2022 08:00:00 GMT</pubDate>
<description>The Department of Defense awarded Lynas USA a contract for heavy rare earth
separation.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Critical Minerals Monitor</title>
<entry><title>EU act enters into force</title><link href="https://cm.example.org/crma"/>
<updated>2024-05-23T09:00:00Z</updated>
<content type="html">&lt;p&gt;The European Commission said the &lt;i&gt;Critical Raw Materials Act&lt;/i&gt;
entered into force.&lt;/p&gt;</content></entry></feed>"""

FACTS = """head,head_type,relation,tail,tail_type,source,date,title
MP Materials,Organization,OPERATES,Mountain Pass,Place,https://mpmaterials.com/about,2023,
James Litinsky,Person,HOLDS_POSITION,MP Materials,Organization,https://mpmaterials.com/leadership,2021-12,CEO
Lynas,organization,operates,Mount Weld,place,Lynas annual report 2023,30 June 2023,
Acme Rare Metals,Organization,PARTNERS_WITH,MP Materials,Organization,press release,2024-02-01,
"""


def pdf_bytes(pages: list[str], title: str | None = "Lynas quarterly report",
              created: str | None = "D:20230105120000Z") -> bytes:
    """A small valid PDF with one line of text per page and an Info dictionary."""
    objects: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    font = 3 + 2 * n_pages
    info = font + 1
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, text in enumerate(pages):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 11 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                       f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    meta = []
    if title:
        meta.append(f"/Title ({title})")
    if created:
        meta.append(f"/CreationDate ({created})")
    objects.append(f"<< {' '.join(meta)} >>".encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, info, xref)
    return bytes(out)


def docs(items) -> list[SourceDocument]:
    return [i for i in items if isinstance(i, SourceDocument)]


# -- text -----------------------------------------------------------------------------------
def test_markdown_front_matter_gives_title_publisher_and_date(tmp_path: Path):
    f = tmp_path / "a.md"
    f.write_text("---\ntitle: \"Lynas in Texas\"\npublisher: Reuters\ndate: 14 June 2022\n---\n# Heading\nBody.\n")
    (doc,) = read_path(f)
    assert (doc.title, doc.publisher, doc.published) == ("Lynas in Texas", "Reuters", "2022-06-14")
    assert doc.text == "# Heading\nBody.\n" and doc.source == str(f.resolve())


def test_text_title_is_first_line(tmp_path: Path):
    f = tmp_path / "b.txt"
    f.write_text("\n\n  MP Materials expands  \nMore text.\n")
    assert read_path(f)[0].title == "MP Materials expands"


def test_utf16_with_bom_loads(tmp_path: Path):
    f = tmp_path / "u16.txt"
    f.write_bytes("Sillamäe hosts the NPM Silmet plant.\n".encode("utf-16"))
    (doc,) = read_path(f)
    assert doc.text.startswith("Sillamäe hosts") and "\ufeff" not in doc.text


# -- HTML -----------------------------------------------------------------------------------
def test_html_main_text_without_navigation_and_metadata(tmp_path: Path):
    f = tmp_path / "page.html"
    f.write_text(HTML)
    (doc,) = read_path(f)
    assert "Amanda Lacaze" in doc.text and "Mount Weld" in doc.text
    for chrome in ("Markets and commodities", "Subscribe to our newsletter", "All rights reserved"):
        assert chrome not in doc.text
    assert doc.title == "Lynas opens Kalgoorlie plant"
    assert (doc.publisher, doc.published) == ("Mining Weekly", "2023-11-08")


def test_html_in_latin1_with_meta_charset(tmp_path: Path):
    f = tmp_path / "latin.htm"
    page = ('<html><head><meta charset="iso-8859-1"><title>Sillamäe</title></head><body><article>'
            '<p>NPM Silmet runs a rare earth separation plant in Sillamäe, Estonia, owned by Neo '
            'Performance Materials since 2011.</p></article></body></html>')
    f.write_bytes(page.encode("latin-1"))
    (doc,) = read_path(f)
    assert "Sillamäe, Estonia" in doc.text


# -- feeds ----------------------------------------------------------------------------------
def test_rss_one_document_per_item(tmp_path: Path):
    f = tmp_path / "wire.rss"
    f.write_bytes(RSS)
    items = read_path(f)
    assert [d.source for d in items] == ["https://news.example.org/mp-gm", "https://news.example.org/lynas-dod"]
    first = items[0]
    assert (first.title, first.publisher, first.published) == (
        "MP Materials signs magnet deal with General Motors", "Rare Earth Wire", "2021-12-09")
    assert "<b>" not in first.text and "supply General Motors with rare earth magnets" in first.text


def test_atom_feed_detected_by_content_under_xml_and_no_extension(tmp_path: Path):
    for name in ("feed.xml", "feed"):
        f = tmp_path / name
        f.write_bytes(ATOM)
        (doc,) = read_path(f)
        assert doc.source == "https://cm.example.org/crma" and doc.published == "2024-05-23"
        assert doc.publisher == "Critical Minerals Monitor" and "<i>" not in doc.text
        assert "Critical Raw Materials Act" in doc.text


def test_xml_that_is_no_feed_is_refused(tmp_path: Path):
    f = tmp_path / "note.xml"
    f.write_text('<?xml version="1.0"?><note><to>Tove</to></note>')
    with pytest.raises(InputError, match="note.xml: not an RSS or Atom feed"):
        read_path(f)


# -- PDF ------------------------------------------------------------------------------------
def test_pdf_text_per_page_and_metadata(tmp_path: Path):
    f = tmp_path / "report.pdf"
    f.write_bytes(pdf_bytes(["Lynas Rare Earths operates the Mount Weld mine.",
                             "Amanda Lacaze is chief executive of Lynas."]))
    (doc,) = read_path(f)
    assert doc.text.index("Mount Weld") < doc.text.index("Amanda Lacaze")
    assert (doc.title, doc.published) == ("Lynas quarterly report", "2023-01-05")


def test_pdf_without_metadata_takes_first_line_as_title(tmp_path: Path):
    f = tmp_path / "bare.pdf"
    f.write_bytes(pdf_bytes(["Iluka Resources builds the Eneabba refinery."], title=None, created=None))
    (doc,) = read_path(f)
    assert doc.title == "Iluka Resources builds the Eneabba refinery." and doc.published is None


# -- JSONL ----------------------------------------------------------------------------------
def test_jsonl_one_document_per_line(tmp_path: Path):
    f = tmp_path / "items.jsonl"
    f.write_text('{"text": "Lynas Rare Earths opened a plant.", "title": "Lynas", "url": "https://x.org/1", '
                 '"date": "2023-11-08T00:00:00Z", "publisher": "Wire"}\n\n'
                 '{"text": "MP Materials signed a deal."}\n')
    first, second = read_path(f)
    assert (first.source, first.title, first.published, first.publisher) == (
        "https://x.org/1", "Lynas", "2023-11-08", "Wire")
    assert second.source == f"{f.resolve()}:3"


# -- curated facts --------------------------------------------------------------------------
def test_facts_csv_parses_rows_and_reports_bad_ones(tmp_path: Path):
    f = tmp_path / "facts.csv"
    f.write_text(FACTS + "MP Materials,Organization,OPERATES,Texas,Policy,x,2020\n")
    items = read_path(f)
    (cf,) = [i for i in items if isinstance(i, CuratedFacts)]
    assert [(x.head, x.relation, x.tail, x.date) for x in cf.facts][:3] == [
        ("MP Materials", "OPERATES", "Mountain Pass", "2023"),
        ("James Litinsky", "HOLDS_POSITION", "MP Materials", "2021-12"),
        ("Lynas", "OPERATES", "Mount Weld", "2023-06-30")]
    (bad,) = [i for i in items if isinstance(i, Problem)]
    assert bad.message == f"{f.resolve()}:6: OPERATES cannot join an Organization to a Policy"


def test_facts_use_gazetteer_ids_when_known(extractor, tmp_path: Path):
    f = tmp_path / "facts.csv"
    f.write_text(FACTS)
    (cf,) = read_path(f)
    batch = facts_batch(cf, extractor.gaz)
    ids = {e.name: e.id for e in batch.entities}
    assert ids["Lynas Rare Earths"] == "organization/lynas-rare-earths"  # 'Lynas' is an alias
    assert ids["Mount Weld"] == "place/mount-weld"
    assert ids["Acme Rare Metals"] == "organization/acme-rare-metals"  # unknown: id from type and name
    rel = next(r for r in batch.relations if r.type == "HOLDS_POSITION")
    assert (rel.title, rel.rules, rel.first_seen) == ("CEO", ["curated"], "2021-12")
    assert rel.sources == [batch.documents[0].id]
    assert "https://mpmaterials.com/leadership" in rel.evidence[0]
    assert {m.entity for m in batch.mentions} == set(ids.values())


def test_shipped_example_facts_are_all_valid(extractor):
    items = read_path(ROOT / "examples" / "facts.csv")
    assert not [i for i in items if isinstance(i, Problem)]
    (cf,) = items
    batch = facts_batch(cf, extractor.gaz)
    assert len(batch.relations) == len(cf.facts) >= 5
    known = [e for e in batch.entities if extractor.gaz.get(e.id)]
    assert len(known) >= len(batch.entities) - 1


# -- choosing a reader ----------------------------------------------------------------------
@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.4\n", "pdf"), (RSS, "feed"), (ATOM, "feed"), (HTML.encode(), "html"),
    (b'{"text": "a"}\n', "jsonl"), (FACTS.encode(), "facts"), (b"Lynas said on Monday", "text"),
    ("<html><body>x</body></html>".encode("utf-16"), "html"),
])
def test_sniff(data: bytes, kind: str):
    assert sniff(data) == kind


def test_stdin_is_sniffed():
    items = list(read_input(Input("stdin", "-"), io.BytesIO(RSS)))
    assert len(items) == 2 and items[0].source == "https://news.example.org/mp-gm"
    (doc,) = read_input(Input("stdin", "-"), io.BytesIO(b"Lynas Rare Earths said."))
    assert doc.source == STDIN


def test_folder_walk_with_include_and_exclude(tmp_path: Path):
    for rel in ("a.txt", "b.md", "sub/c.html", "sub/skip/d.txt", ".hidden/e.txt", "f.docx", "g.txt~"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    names = lambda inputs: [Path(i.value).relative_to(tmp_path).as_posix() for i in inputs]  # noqa: E731
    inputs, problems = collect_inputs([tmp_path])
    assert names(inputs) == ["a.txt", "b.md", "sub/c.html", "sub/skip/d.txt"] and not problems
    inputs, _ = collect_inputs([tmp_path], include=["*.txt"])
    assert names(inputs) == ["a.txt", "sub/skip/d.txt"]
    inputs, _ = collect_inputs([tmp_path], exclude=["sub/skip", "*.md"])
    assert names(inputs) == ["a.txt", "sub/c.html"]
    inputs, _ = collect_inputs([tmp_path], include=["sub/*.html"])
    assert names(inputs) == ["sub/c.html"]
    inputs, _ = collect_inputs([tmp_path], exclude=["skip"])  # a folder name, at any depth
    assert names(inputs) == ["a.txt", "b.md", "sub/c.html"]


def test_folder_walk_survives_a_symlink_loop(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    inputs, problems = collect_inputs([tmp_path])
    assert [Path(i.value).name for i in inputs] == ["a.txt"] and not problems


def test_a_file_named_twice_is_read_once(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text("x")
    (tmp_path / "b.txt").write_text("y")
    inputs, _ = collect_inputs([f, tmp_path, "-", "https://example.org/x", os.path.relpath(f)])
    assert [(i.kind, Path(i.value).name) for i in inputs] == [
        ("file", "a.txt"), ("file", "b.txt"), ("stdin", "-"), ("url", "x")]


# -- URLs, from a local server only -----------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802 (the http.server API)
        if self.path == "/slow":
            time.sleep(1.5)
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if self.path != "/no-length":  # the size limit must hold without the header too
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout, size limit)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch) -> Iterator[str]:
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    _Handler.routes = {
        "/page": (200, "text/html; charset=utf-8", HTML.encode()),
        "/feed": (200, "application/rss+xml", RSS),
        "/feed-as-xml": (200, "application/xml", ATOM),
        "/plain": (200, "text/plain; charset=iso-8859-1", "Sillamäe hosts NPM Silmet.".encode("latin-1")),
        "/report.pdf": (200, "application/pdf", pdf_bytes(["MP Materials operates Mountain Pass."])),
        "/image.png": (200, "image/png", b"\x89PNG\r\n"),
        "/no-length": (200, "text/html", HTML.encode()),
        "/slow": (200, "text/html", HTML.encode()),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_urls_by_content_type(server: str):
    (page,) = read_input(Input("url", f"{server}/page"))
    assert page.source == f"{server}/page" and "Amanda Lacaze" in page.text and "Subscribe" not in page.text
    feed = read_input(Input("url", f"{server}/feed"))
    assert [d.source for d in feed] == ["https://news.example.org/mp-gm", "https://news.example.org/lynas-dod"]
    (atom,) = read_input(Input("url", f"{server}/feed-as-xml"))
    assert atom.publisher == "Critical Minerals Monitor"
    (plain,) = read_input(Input("url", f"{server}/plain"))
    assert plain.text == "Sillamäe hosts NPM Silmet."
    (pdf,) = read_input(Input("url", f"{server}/report.pdf"))
    assert "Mountain Pass" in pdf.text


def test_url_failures_are_one_line(server: str, monkeypatch):
    with pytest.raises(InputError, match=r"image.png: content type image/png is not loadable"):
        read_input(Input("url", f"{server}/image.png"))
    with pytest.raises(InputError, match=r"/missing: HTTP 404"):
        read_input(Input("url", f"{server}/missing"))
    import rekg.loaders.sources.inputs

    monkeypatch.setattr(rekg.loaders.sources.inputs, "MAX_BYTES", 100)
    with pytest.raises(InputError, match=r"/page: \d+ bytes is over the 100 bytes limit for one input"):
        read_input(Input("url", f"{server}/page"))
    with pytest.raises(InputError, match=r"/no-length: over the 100 bytes limit for one input"):
        read_input(Input("url", f"{server}/no-length"))


def test_slow_url_times_out(server: str):
    with pytest.raises(InputError, match=r"/slow: no answer within 0.3 s"):
        read_input(Input("url", f"{server}/slow"), fetch_timeout=0.3)


def test_unreachable_url_is_one_line():
    with pytest.raises(InputError, match=r"http://127.0.0.1:1/x: cannot connect"):
        read_input(Input("url", "http://127.0.0.1:1/x"))


def test_read_data_refuses_unknown_kind():
    with pytest.raises(ValueError):
        list(read_data(b"x", "s", "docx"))


def test_sources_are_absolute_paths(tmp_path: Path, monkeypatch):
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "a.txt").write_text("Lynas.")
    monkeypatch.chdir(tmp_path)
    (doc,) = read_path(Path("n/a.txt"))
    assert doc.source == os.path.join(str(tmp_path), "n", "a.txt")


def test_readme_facts_example_parses():
    from rekg.loaders.sources.formats.facts import parse_facts

    readme = (ROOT / "README.md").read_text()
    block = readme.split("```csv\n", 1)[1].split("```", 1)[0]
    facts, problems = parse_facts(block, "README.md")
    assert len(facts) == 2 and problems == []
