"""Exports read back: GraphML, GEXF and JSON equal the subgraph; CSV parses back in neo4j-admin's
layout; the Cypher script is parameterised, escaped, and (with a Neo4j server) runs."""
from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner
from rekg.graph.model import Document, Entity, GraphBatch, Mention, Relation, Subgraph
from rekg.graph.stores.networkx import NetworkxStore
from rekg.queries.export import (
    build_csv,
    build_cypher,
    build_gexf,
    build_graphml,
    build_json,
    cypher_literal,
    parse_csv,
    parse_gexf,
    parse_graphml,
    parse_json,
    restrict,
    write_export,
)

from rekg.cli import cli

NASTY = "O'Neil \\ \"quoted\" ; | & <b> // -- } ]; MATCH (n) DETACH DELETE n //\n\ttab \u2028 é 北方稀土 \U0001f600"


def sample() -> Subgraph:
    ents = [Entity("organization/a", "A; Co <x>", "Organization", aliases=["A|1", NASTY], kind="company",
                   country="CN", wikidata="Q1"),
            Entity("person/b", NASTY, "Person"),
            Entity("place/c", "C", "Place", aliases=[]),
            Entity("policy/d", "D", "Policy", aliases=["Plan D"])]
    docs = [Document("doc-1", NASTY, "https://example.org/a?x=1&y=2", publisher="P", published="2024-01"),
            Document("doc-2", "Two", "two.txt", loaded_at="2025-01-01T00:00:00+00:00")]
    rels = [Relation("person/b", "HOLDS_POSITION", "organization/a", title="chair; CEO", sources=["doc-1"],
                     evidence=[NASTY], evidence_sources=["doc-1"], first_seen="2024-01",
                     last_seen="2024-01", confidence=0.75, rules=["title-of"]),
            Relation("organization/a", "LOCATED_IN", "place/c", sources=["doc-1", "doc-2"], count=2,
                     evidence=["A is in C.", "A, of C."], evidence_sources=["doc-1", "doc-2"]),
            Relation("organization/a", "ISSUED", "policy/d", sources=["doc-2"]),
            Relation("policy/d", "AFFECTS", "organization/a", sources=["doc-2"]),
            Relation("place/c", "CO_MENTIONED", "policy/d", sources=["doc-2"])]
    ments = [Mention("doc-1", "organization/a", 3), Mention("doc-1", "person/b"), Mention("doc-2", "place/c")]
    sub = Subgraph(entities=ents, relations=rels, documents=docs, mentions=ments)
    return _sorted(sub)


def _sorted(sub: Subgraph) -> Subgraph:
    sub.entities.sort(key=lambda e: e.id)
    sub.documents.sort(key=lambda d: d.id)
    sub.relations.sort(key=lambda r: r.key)
    sub.mentions.sort(key=lambda m: (m.document, m.entity))
    return sub


def test_graphml_round_trip_and_plain_networkx():
    sub = sample()
    text = build_graphml(sub)
    assert parse_graphml(text) == sub
    g = nx.parse_graphml(text, force_multigraph=True)  # any GraphML reader gets typed values
    assert g.nodes["organization/a"]["type"] == "Organization"
    assert json.loads(g.nodes["organization/a"]["aliases"]) == ["A|1", NASTY]
    edge = next(d for _h, _t, d in g.edges(data=True) if d.get("relation") == "LOCATED_IN")
    assert edge["count"] == 2 and isinstance(edge["confidence"], float)


def test_gexf_round_trip():
    sub = sample()
    text = build_gexf(sub)
    assert parse_gexf(text) == sub
    g = nx.read_gexf(io.BytesIO(text.encode()))
    assert g.nodes["place/c"]["label"] == "C"


def test_json_round_trip():
    sub = sample()
    data = json.loads(json.dumps(build_json(sub)))
    assert data["entities"][0]["aliases"] == ["A|1", NASTY]
    assert "evidenceSources" in data["relations"][0]
    assert parse_json(data) == sub


def test_csv_layout_for_neo4j_admin(tmp_path):
    sub = sample()
    export = build_csv(sub)
    # ';' and '|' occur in list values, so the delimiter is the unit separator
    assert export.array_delimiter == "\u001f"
    assert export.multiline  # the evidence sentence holds a newline
    files = export.files
    assert set(files) == {"nodes-Organization.csv", "nodes-Person.csv", "nodes-Place.csv",
                          "nodes-Policy.csv", "nodes-Document.csv", "relationships-HOLDS_POSITION.csv",
                          "relationships-LOCATED_IN.csv", "relationships-ISSUED.csv",
                          "relationships-AFFECTS.csv", "relationships-CO_MENTIONED.csv",
                          "relationships-MENTIONS.csv", "schema.cypher"}
    header = next(csv.reader(io.StringIO(files["nodes-Organization.csv"])))
    assert header[:2] == [":LABEL", "id:ID"] and "aliases:string[]" in header
    row = list(csv.reader(io.StringIO(files["nodes-Organization.csv"])))[1]
    assert row[0] == "Entity\u001fOrganization"
    header = next(csv.reader(io.StringIO(files["relationships-LOCATED_IN.csv"])))
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert {"count:int", "confidence:float", "sources:string[]", "evidence:string[]"} <= set(header)
    assert parse_csv(files, export.array_delimiter) == sub
    cmd = export.command(tmp_path / "out")
    assert cmd.startswith("neo4j-admin database import full neo4j ")
    assert "--array-delimiter=U+001F" in cmd and "--multiline-fields=true" in cmd
    assert cmd.count("--nodes=") == 5 and cmd.count("--relationships=") == 6
    assert "CREATE CONSTRAINT" in files["schema.cypher"]


def test_csv_simple_delimiter():
    sub = Subgraph(entities=[Entity("place/c", "C", "Place", aliases=["x", "y"])])
    export = build_csv(sub)
    assert export.array_delimiter == ";" and not export.multiline
    assert "Entity;Place,place/c,C,Place,x;y" in export.files["nodes-Place.csv"]
    assert "--array-delimiter=;" in export.command("/tmp/x")


def test_cypher_literal_escapes():
    assert cypher_literal("a'b\\c\nd") == "'a\\'b\\\\c\\nd'"
    assert cypher_literal("\u0007\u2028") == "'\\u0007\\u2028'"
    assert cypher_literal({"ok": 1, "not ok": [True, None, 1.5]}) == "{ok: 1, `not ok`: [true, null, 1.5]}"
    assert cypher_literal("北方 😀") == "'北方 😀'"


def _unliteral(text: str) -> object:
    """A tiny reader for the literals `cypher_literal` writes (for checking, not general Cypher)."""
    text = re.sub(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*|`[^`]*`):", lambda m: m.group(1) + json.dumps(
        m.group(2).strip("`")) + ":", text)
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            j, buf = i + 1, []
            while text[j] != "'":
                if text[j] == "\\":
                    nxt = text[j + 1]
                    if nxt == "u":
                        buf.append(chr(int(text[j + 2: j + 6], 16)))
                        j += 6
                        continue
                    buf.append({"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}.get(nxt, nxt))
                    j += 2
                else:
                    buf.append(text[j])
                    j += 1
            out.append(json.dumps("".join(buf)))
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return json.loads("".join(out))


def test_cypher_script_is_parameterised():
    sub = sample()
    script = build_cypher(sub, batch_size=2)
    lines = script.splitlines()
    params = [line for line in lines if line.startswith(":param {rows: ")]
    statements = [s for s in script.split(";\n") if "UNWIND $rows" in s]
    assert len(params) == len(statements)
    # no data outside the :param lines; every statement is one of a fixed few
    for line in lines:
        if not line.startswith(":param"):
            assert NASTY.splitlines()[0][:10] not in line and "北方" not in line
    assert all(re.search(r"MERGE", s) for s in statements)
    rows = [_unliteral(p[len(":param {rows: "):-2]) for p in params]
    flat = [r for batch in rows for r in batch]
    person = next(r for r in flat if r.get("id") == "person/b")
    assert person["props"]["name"] == NASTY and person["props"]["type"] == "Person"
    pos = next(r for r in flat if r.get("props", {}).get("type") == "HOLDS_POSITION")
    assert pos["props"]["evidence"] == [NASTY] and pos["head"] == "person/b"
    assert sum(1 for r in flat if "document" in r) == 3
    assert lines[-1] == ":param clear"


def test_restrict():
    sub = restrict(sample(), co_mentions=False, documents=False)
    assert all(r.type != "CO_MENTIONED" for r in sub.relations)
    assert not sub.documents and not sub.mentions and len(sub.entities) == 4


def test_write_export(tmp_path):
    sub = sample()
    for fmt in ("graphml", "gexf", "cypher", "json"):
        written = write_export(sub, fmt, tmp_path / f"g.{fmt}")
        assert written.paths[0].stat().st_size > 0 and written.command is None
    written = write_export(sub, "csv", tmp_path / "csv")
    assert len(written.paths) == 12 and "neo4j-admin" in written.command
    from rekg.graph.errors import QueryError

    with pytest.raises(QueryError):
        write_export(sub, "csv", tmp_path / "g.json")
    with pytest.raises(QueryError):
        write_export(sub, "graphml", tmp_path / "csv")


def stored(tmp_path) -> tuple[str, Subgraph]:
    """`sample()` loaded into an embedded store (one document's contribution at a time)."""
    sub = sample()
    store = tmp_path / "g.json"
    contributions = []
    for r in sub.relations:
        for i, doc in enumerate(r.sources):
            ev = [(t, s) for t, s in zip(r.evidence, r.evidence_sources, strict=True) if s == doc]
            contributions.append(Relation(r.head, r.type, r.tail, title=r.title, sources=[doc],
                                          evidence=[t for t, _s in ev], evidence_sources=[s for _t, s in ev],
                                          confidence=r.confidence, rules=r.rules if i == 0 else []))
    NetworkxStore(store).upsert(GraphBatch(documents=sub.documents, entities=sub.entities,
                                           relations=contributions, mentions=sub.mentions))
    return str(store), NetworkxStore(store).subgraph()


def test_cli_export(tmp_path):
    store, sub = stored(tmp_path)
    assert len(sub.relations) == 5 and len(sub.documents) == 2
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", store, "export", "--format", "graphml", "-o",
                                 str(tmp_path / "g.graphml")])
    assert result.exit_code == 0, result.output
    assert parse_graphml((tmp_path / "g.graphml").read_text(encoding="utf-8")) == sub
    result = runner.invoke(cli, ["--store", store, "export", "--format", "csv", "-o",
                                 str(tmp_path / "csv"), "--no-co-mentions"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("neo4j-admin database import full")
    assert not (tmp_path / "csv" / "relationships-CO_MENTIONED.csv").exists()
    result = runner.invoke(cli, ["--store", store, "export", "--format", "xml", "-o", "x"])
    assert result.exit_code == 2


def test_cli_export_named_query(tmp_path):
    pytest.importorskip("queries.library")
    store, _sub = stored(tmp_path)
    out = tmp_path / "ego.json"
    result = CliRunner().invoke(cli, ["--store", store, "export", "--format", "json", "-o", str(out),
                                      "--query", "ego", "--param", "name=person/b"])
    assert result.exit_code == 0, result.output
    got = parse_json(json.loads(out.read_text(encoding="utf-8")))
    assert {e.id for e in got.entities} == {"person/b", "organization/a"}
    assert [r.type for r in got.relations] == ["HOLDS_POSITION"]


def run_script(store, script: str) -> int:
    """Run a `build_cypher` script the way cypher-shell does: each `:param {…}` map is evaluated
    by the server (`RETURN {…}`), each statement then runs with those parameters."""
    params: dict = {}
    statement: list[str] = []
    ran = 0
    for line in script.splitlines():
        if not statement and (not line.strip() or line.startswith("//")):
            continue
        if line == ":param clear":
            params = {}
        elif line.startswith(":param "):
            params = store.execute(f"RETURN {line[len(':param '):].rstrip(';')} AS p")[0]["p"]
        else:
            statement.append(line)
            if line.endswith(";"):
                store.execute("\n".join(statement)[:-1], params, write=True)
                statement, ran = [], ran + 1
    assert not statement
    return ran


@pytest.mark.neo4j
def test_cypher_script_builds_the_graph_in_neo4j(neo4j_store):
    sub = sample()
    script = build_cypher(sub, batch_size=2)
    assert run_script(neo4j_store, script) > 5
    assert neo4j_store.subgraph() == sub  # every quote, backslash, newline and emoji intact
    run_script(neo4j_store, script)  # MERGE: a second run changes nothing
    assert neo4j_store.subgraph() == sub
    counts = neo4j_store.counts()
    assert counts.relations.get("MENTIONS") == 3 and counts.nodes.get("Document") == 2


@pytest.mark.neo4j
def test_csv_files_import_with_neo4j_admin(tmp_path):
    """The printed command, run with Neo4j's own import tool (the jars tools/neo4j/ fetched),
    gives a database that a Neo4j server reads back as the same subgraph."""
    import os
    import shlex
    import shutil
    import subprocess
    from pathlib import Path

    from rekg.graph.errors import RekgError
    from rekg.graph.stores import neo4j_local as server
    from rekg.graph.stores.neo4j import open_neo4j

    from .neo4j_fixtures import neo4j_unavailable

    lib = Path(os.environ.get("REKG_NEO4J_HOME") or Path.home() / ".cache" / "rekg" / "neo4j") / "lib"
    if not list(lib.glob("neo4j-import-tool-*.jar")) or not shutil.which("java"):
        neo4j_unavailable(f"no Neo4j import tool in {lib} (tools/neo4j/neo4j.sh fetch) or no java")
    sub = sample()
    written = write_export(sub, "csv", tmp_path / "csv")
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("server.memory.pagecache.size=64m\n")
    argv = shlex.split(written.command)
    assert argv[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    done = subprocess.run(["java", "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool", *argv[1:]],
                          env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)  # import.report
    assert done.returncode == 0 and "IMPORT DONE" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    state = tmp_path / "state"
    try:
        info = server.start(state, data_dir=home)
    except RekgError as exc:
        neo4j_unavailable(f"the local Neo4j did not start on the imported data: {exc}")
    try:
        with open_neo4j(info.uri, info.user, info.password) as store:
            assert store.subgraph() == sub
    finally:
        server.stop(state)
