"""The HTML page without a browser: what `build_network` selects and draws, and what the page holds."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from rekg.graph.errors import QueryError
from rekg.graph.model import Document, Entity, Mention, Relation, Subgraph
from rekg.graph.stores.networkx import NetworkxStore
from rekg.queries.render import (
    LAYOUT_THRESHOLD,
    build_network,
    embed_json,
    force_layout,
    ids_from_rows,
    to_html,
    write_html,
)

from rekg.cli import cli

XSS = '<img src=x onerror="window.__xss=1">'


def small() -> Subgraph:
    ents = [Entity("person/du", "Du Fenglian", "Person", aliases=["杜凤莲"]),
            Entity("organization/imu", "Inner Mongolia University", "Organization"),
            Entity("organization/nre", "Northern Rare Earth", "Organization", aliases=["北方稀土"]),
            Entity("place/baotou", "Baotou", "Place"),
            Entity("policy/plan", "15th Five-Year Plan", "Policy"),
            Entity("organization/x", XSS, "Organization"),
            Entity("place/lonely", "Lonely", "Place")]
    doc = Document("doc-1", "A lecture </script><script>alert(1)</script>", "seed.txt",
                   publisher="Pub & Co", published="2025-11-03")
    rels = [Relation("person/du", "HOLDS_POSITION", "organization/imu", title="vice president",
                     sources=["doc-1"], evidence=["Du Fenglian is vice president of Inner Mongolia University."],
                     evidence_sources=["doc-1"]),
            Relation("organization/nre", "LOCATED_IN", "place/baotou", sources=["doc-1"],
                     evidence=["Northern Rare Earth, based in Baotou, ..."], evidence_sources=["doc-1"],
                     count=3),
            Relation("organization/x", "PARTNERS_WITH", "organization/nre", sources=["doc-1"]),
            Relation("organization/nre", "FUNDS", "organization/x", sources=["doc-1"]),
            Relation("person/du", "VISITED", "organization/nre", sources=["doc-1"]),
            Relation("place/baotou", "CO_MENTIONED", "policy/plan", sources=["doc-1"])]
    ments = [Mention("doc-1", e.id, 2) for e in ents]
    return Subgraph(entities=ents, relations=rels, documents=[doc], mentions=ments)


def test_nodes_edges_and_legend():
    view = build_network(small())
    ids = {n["id"] for n in view["nodes"]}
    assert len(ids) == 7
    types = {e["type"] for e in view["edges"]}
    assert "CO_MENTIONED" not in types and len(view["edges"]) == 5
    assert view["omitted"]["co_mentions"] == 1
    du = next(n for n in view["nodes"] if n["id"] == "person/du")
    assert du["shape"] == "diamond" and du["type"] == "Person" and du["aliases"] == ["杜凤莲"]
    assert du["degree"] == 2 and du["docs"] == [["doc-1", 2]]
    assert [t["name"] for t in view["entityTypes"]] == ["Organization", "Person", "Policy", "Place"]
    assert {t["name"] for t in view["relationTypes"]} == types
    lonely = next(n for n in view["nodes"] if n["id"] == "place/lonely")
    hub = next(n for n in view["nodes"] if n["id"] == "organization/nre")
    assert hub["size"] > du["size"] > lonely["size"]  # size by degree
    pos = next(e for e in view["edges"] if e["type"] == "HOLDS_POSITION")
    assert pos["relTitle"] == "vice president" and pos["label"] == "HOLDS_POSITION: vice president"
    assert pos["evidence"] == [["Du Fenglian is vice president of Inner Mongolia University.", "doc-1"]]
    assert view["documents"]["doc-1"]["publisher"] == "Pub & Co"
    # FUNDS and PARTNERS_WITH join the same two actors: curved apart, not drawn on top of each other
    pair = [e for e in view["edges"] if {e["from"], e["to"]} == {"organization/x", "organization/nre"}]
    assert len(pair) == 2 and all(e.get("smooth") for e in pair)


def test_co_mentions_listed_but_hidden():
    view = build_network(small(), co_mentions=True)
    co = [t for t in view["relationTypes"] if t["name"] == "CO_MENTIONED"]
    assert co and co[0]["hidden"] and co[0]["count"] == 1
    edge = next(e for e in view["edges"] if e["type"] == "CO_MENTIONED")
    assert edge["dashes"]
    # co-mentions do not make an actor central
    plan = next(n for n in view["nodes"] if n["id"] == "policy/plan")
    assert plan["degree"] == 0


def test_types_min_degree_max_nodes():
    view = build_network(small(), types=["Organization", "Person"])
    assert {n["type"] for n in view["nodes"]} == {"Organization", "Person"}
    assert view["omitted"]["by_type"] == 3 and view["omitted"]["types"] == ["Policy", "Place"]
    view = build_network(small(), min_degree=2)
    assert {n["id"] for n in view["nodes"]} == {"person/du", "organization/nre", "organization/x"}
    assert view["omitted"]["by_degree"] == 4
    view = build_network(small(), max_nodes=2)
    assert [n["id"] for n in view["nodes"]] == ["organization/nre", "organization/x"]
    assert view["omitted"]["by_limit"] == 5 and view["omitted"]["relations"] == 3
    view = build_network(small(), max_nodes=2, centrality="pagerank")
    assert "organization/nre" in {n["id"] for n in view["nodes"]}
    with pytest.raises(ValueError):
        build_network(small(), types=["Company"])
    with pytest.raises(QueryError):
        build_network(small(), centrality="closeness")


def test_layout_fixed_above_threshold():
    assert build_network(small())["layout"] == "physics"
    assert all("x" not in n for n in build_network(small())["nodes"])
    view = build_network(small(), layout="fixed")
    assert view["layout"] == "fixed" and all(isinstance(n["x"], float) for n in view["nodes"])
    n = LAYOUT_THRESHOLD + 1
    ents = [Entity(f"place/p{i}", f"P{i}", "Place") for i in range(n)]
    rels = [Relation(f"place/p{i}", "LOCATED_IN", f"place/p{(i * 7 + 1) % n}") for i in range(n)]
    view = build_network(Subgraph(entities=ents, relations=rels))
    assert view["layout"] == "fixed"
    xs = [nd["x"] for nd in view["nodes"]]
    assert max(xs) - min(xs) > 500  # spread out, not piled up


def test_force_layout_separates_and_joins():
    import numpy as np

    pos = force_layout(40, [(i, i + 1) for i in range(19)] + [(i, i + 1) for i in range(20, 39)])
    assert pos.shape == (40, 2) and np.isfinite(pos).all()
    dist = np.linalg.norm(pos[:, None] - pos[None], axis=-1)
    linked = np.mean([dist[i, i + 1] for i in range(19)])
    assert linked < np.median(dist)  # neighbours end up closer than a typical pair
    assert force_layout(0, []).shape == (0, 2) and force_layout(1, []).shape == (1, 2)


def test_embedded_json_is_inert():
    text = embed_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_page_is_self_contained_and_escapes_data():
    page = to_html(build_network(small(), title="<b>rekg</b> & co"))
    # no network: no src/href attributes to http(s), no CDN, no @import
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert not re.search(r"@import|//cdn|unpkg|jsdelivr|googleapis", page, re.I)
    assert "<title>&lt;b&gt;rekg&lt;/b&gt; &amp; co</title>" in page
    data = page.split('<script type="application/json" id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data and "&" not in data
    view = json.loads(data)
    assert XSS in {n["name"] for n in view["nodes"]}
    assert view["documents"]["doc-1"]["title"].startswith("A lecture </script>")
    # exactly our scripts: vis-network, tom-select, the page script (and the JSON block)
    assert len(re.findall(r"^<script", page, re.M)) == 4 and "vis.Network" in page and "TomSelect" in page
    assert "sourceMappingURL" not in page
    assert "innerHTML" not in page.split('id="graph-data"', 1)[1]  # the page script never uses it
    assert "Content-Security-Policy" in page


def test_write_html(tmp_path):
    path = write_html(build_network(small()), tmp_path / "sub" / "g.html", "t")
    assert path.exists() and "<title>t</title>" in path.read_text(encoding="utf-8")


def test_ids_from_rows():
    rows = [{"person": "X", "personId": "person/x", "organizationId": "organization/y"},
            {"id": "place/z", "ids": ["place/z", "place/w"]}]
    assert ids_from_rows(rows) == ["person/x", "organization/y", "place/z", "place/w"]


def _store(tmp_path) -> str:
    from rekg.graph.model import GraphBatch

    path = tmp_path / "g.json"
    sub = small()
    NetworkxStore(path).upsert(GraphBatch(documents=sub.documents, entities=sub.entities,
                                          relations=sub.relations, mentions=sub.mentions))
    return str(path)


def _view_of(page: str) -> dict:
    data = page.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    return json.loads(data)


def test_cli_render_options(tmp_path):
    store = _store(tmp_path)
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["--store", store, "render", "-o", str(out), "--types",
                                      "person,organization", "--max-nodes", "3", "--co-mentions"])
    assert result.exit_code == 0, result.output
    view = _view_of(out.read_text(encoding="utf-8"))
    assert len(view["nodes"]) == 3 and view["omitted"]["by_limit"] == 1
    assert result.stdout.strip() == str(out)
    result = CliRunner().invoke(cli, ["--store", store, "render", "-o", str(out), "--types", "company"])
    assert result.exit_code == 2 and "company" in result.output
    result = CliRunner().invoke(cli, ["--store", store, "render", "-o", str(out), "--param", "x=1"])
    assert result.exit_code == 2


def test_cli_render_named_query(tmp_path):
    pytest.importorskip("queries.library")
    store = _store(tmp_path)
    out = tmp_path / "ego.html"
    result = CliRunner().invoke(cli, ["--store", store, "render", "-o", str(out), "--query", "ego",
                                      "--param", "name=du fenglian"])
    assert result.exit_code == 0, result.output
    view = _view_of(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in view["nodes"]} == {"person/du", "organization/imu", "organization/nre"}
    assert {e["type"] for e in view["edges"]} == {"HOLDS_POSITION", "VISITED"}
    result = CliRunner().invoke(cli, ["--store", store, "render", "-o", str(out), "--query", "ego",
                                      "--param", "name=Nobody At All"])
    assert result.exit_code == 1 and result.output.startswith("Error:")
