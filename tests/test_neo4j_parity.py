"""The whole dev corpus into both stores: identical counts and identical subgraphs, property by
property (only `loadedAt`, the time of each run, may differ)."""
from __future__ import annotations

import dataclasses

import pytest
from rekg.graph.model import Entity, GraphBatch, Relation, Subgraph
from rekg.graph.stores.neo4j import Neo4jStore
from rekg.graph.stores.networkx import NetworkxStore
from rekg.loaders.ingest import ingest

from .conftest import DEV_CORPUS, need_dev_corpus

pytestmark = pytest.mark.neo4j


def without_load_time(sub: Subgraph) -> Subgraph:
    return dataclasses.replace(sub, documents=[dataclasses.replace(d, loaded_at=None) for d in sub.documents])


@pytest.fixture
def both(neo4j_store, tmp_path, extractor):
    need_dev_corpus()
    files = sorted(DEV_CORPUS.glob("*.txt"))
    embedded = NetworkxStore(tmp_path / "graph.json")
    reports = [ingest(files, s, extractor) for s in (embedded, neo4j_store)]
    assert reports[0].loaded == len(files) and not reports[0].failed
    a, b = reports
    assert (a.loaded, a.skipped, a.failed, a.written) == (b.loaded, b.skipped, b.failed, b.written)
    return embedded, neo4j_store, files


def test_same_counts(both):
    embedded, neo, _ = both
    counts = embedded.counts()
    assert counts == neo.counts()
    assert counts.nodes["Document"] > 20 and counts.relations["MENTIONS"] > 100
    assert sum(v for k, v in counts.relations.items() if k not in ("MENTIONS", "CO_MENTIONED")) > 30


def test_same_subgraph(both):
    embedded, neo, _ = both
    a, b = embedded.subgraph(), neo.subgraph()
    assert all(d.loaded_at for d in a.documents + b.documents)
    a, b = without_load_time(a), without_load_time(b)
    # compared field by field first, for a readable failure
    assert [e.id for e in a.entities] == [e.id for e in b.entities]
    for x, y in zip(a.entities, b.entities, strict=True):
        assert x == y
    assert [r.key for r in a.relations] == [r.key for r in b.relations]
    for x, y in zip(a.relations, b.relations, strict=True):
        assert x == y
    assert a == b
    docs = {k: dataclasses.replace(v, loaded_at=None) for k, v in embedded.documents().items()}
    assert docs == {k: dataclasses.replace(v, loaded_at=None) for k, v in neo.documents().items()}


def test_same_partial_subgraphs(both):
    embedded, neo, _ = both
    ids = [e.id for e in embedded.subgraph().entities]
    for some in (ids[::7], ids[:25], ids[-3:], []):
        assert without_load_time(embedded.subgraph(some)) == without_load_time(neo.subgraph(some))


def test_same_after_reingest_and_forget(both, extractor):
    embedded, neo, files = both
    for s in (embedded, neo):
        again = ingest(files, s, extractor)
        assert (again.loaded, again.skipped, again.written.relations) == (0, len(files), 0)
    gone = sorted(embedded.documents())[::4]
    assert embedded.forget(gone) == neo.forget(gone)
    assert embedded.counts() == neo.counts()
    assert without_load_time(embedded.subgraph()) == without_load_time(neo.subgraph())


def test_same_in_statements_of_two_rows(neo4j_store, tmp_path):
    """Every statement cut into chunks of two rows, each holding new entities and relations,
    stored ones, or both: the embedded store's graph and write counts, batch after batch."""
    small = Neo4jStore(neo4j_store._driver, neo4j_store.database, batch_rows=2)
    embedded = NetworkxStore(tmp_path / "graph.json")

    def org(name: str) -> Entity:
        return Entity(f"organization/{name.lower()}", name, "Organization", [f"{name} Ltd"])

    def rel(head: str, rel_type: str, tail: str, doc: str) -> Relation:
        return Relation(f"organization/{head}", rel_type, f"organization/{tail}", sources=[doc],
                        evidence=[f"{head} {rel_type} {tail} in {doc}."], first_seen="2024-01-02")

    batches = [
        GraphBatch([], [org("A"), org("B"), org("C")], [rel("a", "PARTNERS_WITH", "b", "d1")]),
        # entity chunks [B, C] (stored) and [D, E] (new); relations stored and new in one chunk
        GraphBatch([], [org("B"), org("C"), org("D"), org("E")], [
            rel("a", "PARTNERS_WITH", "b", "d2"), rel("b", "FUNDS", "d", "d2"), rel("d", "PARTNERS_WITH", "e", "d2"),
            rel("a", "FUNDS", "c", "d2")]),
        # one entity chunk [C, F]: stored and new
        GraphBatch([], [org("C"), org("F")], [rel("c", "PART_OF", "f", "d3"), rel("b", "FUNDS", "d", "d3")]),
        # a relation given twice in one batch, between new entities
        GraphBatch([], [org("G"), org("H")], [rel("g", "FUNDS", "h", "d4"), rel("g", "FUNDS", "h", "d5")]),
    ]
    for batch in batches:
        assert embedded.upsert(batch) == small.upsert(batch)
    a, b = embedded.subgraph(), small.subgraph()
    assert a == b
    assert len(a.relations) == 6
    assert {r.key: r.sources for r in a.relations}[("organization/b", "FUNDS", "organization/d")] == ["d2", "d3"]
    assert embedded.counts() == small.counts()
