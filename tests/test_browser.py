"""The HTML page in a real browser: Debian's headless Chromium driven by Playwright.

The page must load with no console error and no request beyond file: and data: URLs, draw the
expected actors, find an actor by name or alias, show a relation's evidence and sources, and
keep hostile names as text. Skipped only when Chromium (or Playwright) is missing and $CI is
unset; in CI a missing browser fails the run (`tools/setup-test-deps.sh` installs it).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from rekg.graph.model import Document, Entity, Mention, Relation, Subgraph
from rekg.graph.stores.networkx import NetworkxStore
from rekg.queries.render import build_network, write_html

from bench.html_browser import BrowserMissing, chromium_context

from .conftest import SEED

pytestmark = pytest.mark.browser

XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_HREF = '<a href="javascript:window.__xss=2">Acme href</a>'
READY = "body[data-ready]"


def _missing(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"{why}; CI must run the browser tests (bash tools/setup-test-deps.sh)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser_context():
    """A Chromium context with a fresh profile (bench/html_browser.py, which the benchmarks use
    too); every request that is not file:, data: or about: aborts and is recorded in
    `context.blocked`."""
    try:
        with chromium_context() as context:
            yield context
    except BrowserMissing as exc:
        _missing(str(exc))


def open_page(context, path: Path):
    """Load `path`, wait until the network is drawn and settled; the page records its errors."""
    page = context.new_page()
    page.errors = []
    page.requests = []
    page.on("console", lambda m: page.errors.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: page.errors.append(f"requestfailed: {r.url}"))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    return page


def hand_made() -> Subgraph:
    """The seed article's core, by hand, for a checkout without ../shared/corpus."""
    doc = Document("doc-seed", "Highlights", "dev00_seed.txt", published="2025-11-05")
    ents = [Entity("person/du-fenglian", "Du Fenglian", "Person"),
            Entity("organization/inner-mongolia-university", "Inner Mongolia University", "Organization",
                   aliases=["内蒙古大学"]),
            Entity("organization/china-northern-rare-earth-group", "China Northern Rare Earth Group",
                   "Organization", aliases=["北方稀土", "Northern Rare Earth"]),
            Entity("place/inner-mongolia", "Inner Mongolia", "Place")]
    rels = [Relation("person/du-fenglian", "HOLDS_POSITION", "organization/inner-mongolia-university",
                     title="vice president", sources=[doc.id], evidence_sources=[doc.id],
                     evidence=["Led by Du Fenglian, a senior regional political adviser and vice president "
                               "of Inner Mongolia University, the delegation used the session."]),
            Relation("organization/china-northern-rare-earth-group", "LOCATED_IN", "place/inner-mongolia",
                     sources=[doc.id], evidence=["Northern Rare Earth, in Inner Mongolia."],
                     evidence_sources=[doc.id])]
    return Subgraph(entities=ents, relations=rels, documents=[doc],
                    mentions=[Mention(doc.id, e.id) for e in ents])


@pytest.fixture(scope="module")
def seed(tmp_path_factory, extractor) -> Subgraph:
    """The seed article loaded through the ingest run with the rules-only extractor."""
    if SEED is None:
        return hand_made()
    from rekg.loaders.ingest import ingest

    store = NetworkxStore(tmp_path_factory.mktemp("seed") / "graph.json")
    report = ingest([SEED], store, extractor)
    assert report.loaded == 1, report.failed
    return store.subgraph()


@pytest.fixture(scope="module")
def seed_page(seed, tmp_path_factory) -> Path:
    return write_html(build_network(seed, co_mentions=True, title="seed"),
                      tmp_path_factory.mktemp("html") / "seed.html")


def test_loads_offline_without_errors(browser_context, seed_page):
    page = open_page(browser_context, seed_page)
    assert page.errors == []
    assert browser_context.blocked == []
    assert all(u.startswith(("file:", "data:")) for u in page.requests), page.requests
    assert page.title() == "seed"
    # physics settled and switched off: the page is still
    assert page.evaluate("window.network.physics.options.enabled") is False
    page.close()


def test_network_holds_the_graph(browser_context, seed_page, seed):
    page = open_page(browser_context, seed_page)
    ids = set(page.evaluate("window.rekg.nodes.getIds()"))
    assert ids == {e.id for e in seed.entities}
    assert "person/du-fenglian" in ids
    drawn = page.evaluate("Object.keys(window.network.getPositions())")
    assert set(drawn) == ids
    stated = [r for r in seed.relations if r.type != "CO_MENTIONED"]
    shown = page.evaluate("window.rekg.edges.get({filter: e => !e.hidden}).length")
    assert shown == len(stated)  # co-mentions are in the data but hidden until ticked
    co = page.locator('input[data-relation="CO_MENTIONED"]')
    if co.count():
        assert not co.is_checked()
        co.check()
        assert page.evaluate("window.rekg.edges.get({filter: e => !e.hidden}).length") == len(seed.relations)
    # the legend filters by type
    page.locator('input[data-entity="Place"]').uncheck()
    hidden = set(page.evaluate("window.rekg.nodes.get({filter: n => n.hidden}).map(n => n.id)"))
    assert hidden == {e.id for e in seed.entities if e.type == "Place"}
    assert page.errors == []
    page.close()


def search(page, text: str, expect: str) -> None:
    page.locator("#search-ts-control").click()
    page.keyboard.type(text)
    option = page.locator(".ts-dropdown .option", has_text=expect).first
    option.wait_for(state="visible", timeout=5_000)
    option.click()


def test_search_finds_an_actor_by_name_and_alias(browser_context, seed_page, seed):
    page = open_page(browser_context, seed_page)
    search(page, "du feng", "Du Fenglian")
    assert page.locator("#details h2").inner_text() == "Du Fenglian"
    assert page.evaluate("window.network.getSelectedNodes()") == ["person/du-fenglian"]
    assert page.locator("#details .badge").inner_text() == "Person"
    # an alias finds its actor too
    alias_of = {a: e.name for e in seed.entities for a in e.aliases}
    if "北方稀土" in alias_of:
        search(page, "北方稀土", alias_of["北方稀土"])
        assert page.locator("#details h2").inner_text() == alias_of["北方稀土"]
        assert "北方稀土" in page.locator("#details ul.aliases").inner_text()
    assert page.errors == []
    page.close()


def _held_position(seed: Subgraph) -> Relation:
    return next(r for r in seed.relations if r.type == "HOLDS_POSITION" and r.head == "person/du-fenglian"
                and r.tail == "organization/inner-mongolia-university")


def test_relation_panel_shows_evidence_and_sources(browser_context, seed_page, seed):
    rel = _held_position(seed)
    page = open_page(browser_context, seed_page)
    search(page, "Du Fenglian", "Du Fenglian")
    tail = next(e.name for e in seed.entities if e.id == rel.tail)
    page.locator("#details .relations button", has_text="holds position").filter(has_text=tail).first.click()
    quote = page.locator("#details .evidence blockquote").first
    assert quote.inner_text() == rel.evidence[0]
    assert "Du Fenglian" in quote.inner_text()
    titles = {d.id: d.title for d in seed.documents}
    assert titles[rel.sources[0]] in page.locator("#details ul.sources").inner_text()
    assert titles[rel.evidence_sources[0]] in page.locator("#details .evidence .from").first.inner_text()
    heading = "holds position" + (f": {rel.title}" if rel.title else "")
    assert page.locator("#details h2").inner_text() == heading
    edge_id = page.evaluate("(r) => window.rekg.data.edges.find(e => e.type === r[1] && e.from === r[0] "
                            "&& e.to === r[2]).id", [rel.head, rel.type, rel.tail])
    assert page.evaluate("window.network.getSelectedEdges()") == [edge_id]
    assert page.errors == []
    page.close()


def test_clicks_on_the_canvas(browser_context, seed_page, seed):
    """Real mouse clicks on the drawing: on an actor, then on a link, fill the panel."""
    rel = _held_position(seed)
    page = open_page(browser_context, seed_page)
    box = page.locator("#graph").bounding_box()
    point = page.evaluate("(id) => window.network.canvasToDOM(window.network.getPositions([id])[id])",
                          "person/du-fenglian")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.locator("#details h2").inner_text() == "Du Fenglian"
    # find a pixel on the link with no actor over it (vis-network's own hit test), and click it
    edge_id = page.evaluate("(r) => window.rekg.data.edges.find(e => e.type === r[1] && e.from === r[0] "
                            "&& e.to === r[2]).id", [rel.head, rel.type, rel.tail])
    spot = page.evaluate("""(edgeId) => {
        const net = window.network, e = window.rekg.edges.get(edgeId);
        const pos = net.getPositions([e.from, e.to]);
        const a = net.canvasToDOM(pos[e.from]), b = net.canvasToDOM(pos[e.to]);
        for (let t = 0.5, i = 0; i < 40; i++, t = 0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 0.02) {
          for (let off = -6; off <= 6; off += 2) {
            const p = {x: a.x + (b.x - a.x) * t - (b.y - a.y) / Math.hypot(b.x - a.x, b.y - a.y) * off,
                       y: a.y + (b.y - a.y) * t + (b.x - a.x) / Math.hypot(b.x - a.x, b.y - a.y) * off};
            if (net.getEdgeAt(p) === edgeId && net.getNodeAt(p) === undefined) return p;
          }
        }
        return null;
    }""", edge_id)
    assert spot is not None, "no clickable pixel on the HOLDS_POSITION link"
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    assert page.locator("#details .evidence blockquote").first.inner_text() == rel.evidence[0]
    # a click on empty canvas clears the panel
    page.mouse.click(box["x"] + 3, box["y"] + 3)
    assert page.locator("#details").is_hidden()
    assert page.errors == []
    page.close()


def hostile() -> Subgraph:
    doc = Document("doc-x", '<script>window.__xss=3</script> report', "javascript:window.__xss=4",
                   publisher="<b>bold</b>")
    ents = [Entity("organization/img", XSS_IMG, "Organization", aliases=[XSS_IMG + " alias"]),
            Entity("organization/href", XSS_HREF, "Organization", kind='"><img src=x onerror=window.__xss=5>'),
            Entity("person/ok", "Plain Person", "Person")]
    rels = [Relation("organization/img", "PARTNERS_WITH", "organization/href", title=XSS_IMG,
                     sources=[doc.id], evidence=[XSS_IMG + " partners with " + XSS_HREF],
                     evidence_sources=[doc.id]),
            Relation("person/ok", "HOLDS_POSITION", "organization/href", title="<i>chair</i>",
                     sources=[doc.id], evidence=["&lt;escaped&gt; & <u>raw</u>"], evidence_sources=[doc.id])]
    return Subgraph(entities=ents, relations=rels, documents=[doc],
                    mentions=[Mention(doc.id, e.id) for e in ents])


def test_hostile_names_stay_text(browser_context, tmp_path):
    path = write_html(build_network(hostile(), title=XSS_IMG), tmp_path / "xss.html")
    page = open_page(browser_context, path)
    assert page.title() == XSS_IMG
    search(page, "img src", XSS_IMG)
    assert page.locator("#details h2").inner_text() == XSS_IMG
    assert XSS_IMG + " alias" in page.locator("#details ul.aliases").inner_text()
    page.locator("#details .relations button").first.click()
    assert page.locator("#details .evidence blockquote").inner_text() == \
        XSS_IMG + " partners with " + XSS_HREF
    assert page.locator("#details h2").inner_text() == "partners with: " + XSS_IMG  # its title
    assert "<script>window.__xss=3</script> report" in page.locator("#details ul.sources").inner_text()
    assert page.locator("#details a").count() == 0  # a javascript: source is never a link
    search(page, "href", "Acme href")
    assert page.locator("#details h2").inner_text() == XSS_HREF
    assert '"><img src=x onerror=window.__xss=5>' in page.locator("#details dl").inner_text()
    search(page, "plain", "Plain Person")
    page.locator("#details .relations button").first.click()
    assert page.locator("#details .evidence blockquote").inner_text() == "&lt;escaped&gt; & <u>raw</u>"
    # hover tooltips are text too
    page.wait_for_timeout(600)  # let the focus animation end before reading positions
    box = page.locator("#graph").bounding_box()
    point = page.evaluate("(id) => window.network.canvasToDOM(window.network.getPositions([id])[id])",
                          "organization/img")
    page.mouse.move(box["x"] + point["x"] - 30, box["y"] + point["y"] - 30)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"], steps=6)
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert XSS_IMG in tip.inner_text()
    page.wait_for_timeout(300)  # give any injected handler the chance to run
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, u, i, b, a').length") == 0
    tags = set(page.evaluate("[...document.querySelectorAll('#details *, .ts-dropdown *, div.vis-tooltip *')]"
                             ".map(e => e.tagName.toLowerCase())"))
    assert tags <= {"span", "div", "h2", "h3", "p", "dl", "dt", "dd", "ul", "li", "blockquote", "button", "br"}
    assert page.errors == []
    page.close()


def test_omitted_actors_are_announced(browser_context, seed, tmp_path):
    path = write_html(build_network(seed, max_nodes=3), tmp_path / "top.html")
    page = open_page(browser_context, path)
    assert page.evaluate("window.rekg.nodes.length") == 3
    note = page.locator("#omitted")
    assert note.is_visible()
    assert f"{len(seed.entities) - 3} less central actors" in note.inner_text()
    assert "3 most central" in note.inner_text()
    page.close()


def test_big_graph_uses_fixed_layout(browser_context, tmp_path):
    n = 400
    ents = [Entity(f"organization/o{i}", f"Org {i}", "Organization") for i in range(n)]
    rels = [Relation(f"organization/o{i}", "PARTNERS_WITH", f"organization/o{(i * 13 + 7) % n}")
            for i in range(n) if (i * 13 + 7) % n != i]
    path = write_html(build_network(Subgraph(entities=ents, relations=rels)), tmp_path / "big.html")
    page = open_page(browser_context, path)
    assert page.evaluate("window.network.physics.options.enabled") is False
    assert page.evaluate("window.rekg.nodes.length") == n
    assert "physics off" in page.locator("#summary").inner_text()
    assert page.errors == []
    page.close()
