"""Every named query gives the same rows on Neo4j and on the embedded store.

Both stores load the dev corpus (`../shared/corpus/dev`) with the same extractor, and a
generated graph beside it (dated documents, cycles, parallel relations); then each
query runs on both for many actors (and pairs of actors), and the answers must be identical —
same rows, same order, same columns in the same order. Every named query defines its order
(the shared post step sorts), so the comparison is exact; the parameters were chosen to
cover every relation type, empty answers, and the CO_MENTIONED projections.

Needs a real Neo4j: the session's `neo4j_server` (tests/neo4j_fixtures.py) — skipped when none
can be had, unless REKG_REQUIRE_NEO4J is set (then it fails).
"""
from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from rekg.graph.errors import QueryError
from rekg.graph.model import Document, Entity, GraphBatch, Mention, Relation
from rekg.graph.schema import CO_MENTIONED, RELATION_TYPES
from rekg.graph.stores.networkx import NetworkxStore
from rekg.queries.library import QUERIES, run
from rekg.queries.named.spec import STATED
from rekg.queries.names import resolve

from .conftest import DEV_CORPUS, need_dev_corpus
from .neo4j_fixtures import clear

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def stores(neo4j_server, tmp_path_factory, extractor):
    """(embedded, neo4j), both holding the dev corpus."""
    from rekg.graph.stores.neo4j import open_neo4j
    from rekg.loaders.ingest import ingest

    need_dev_corpus()
    files = sorted(DEV_CORPUS.glob("*.txt"))
    embedded = NetworkxStore(tmp_path_factory.mktemp("parity") / "graph.json", autosave=False)
    neo = open_neo4j(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    clear(neo)
    generated = _generated(seed=5)
    for store in (embedded, neo):
        report = ingest(files, store, extractor)
        assert report.loaded == len(files) and not report.failed
        store.upsert(generated)
    assert embedded.counts() == neo.counts()
    yield embedded, neo
    clear(neo)
    neo.close()


def _generated(seed: int, n_entities: int = 120, n_relations: int = 600) -> GraphBatch:
    """A random graph beside the corpus (its ids start with `gen-`): dated documents (the dev
    corpus has none), dense enough for cycles, parallel relations and many shortest paths."""
    rng = random.Random(seed)
    types = ["Organization"] * 5 + ["Place"] * 3 + ["Person"] * 2 + ["Policy"]
    entities = [Entity(f"{t.lower()}/gen-{i}", f"Gen {t} {i:03d} {rng.choice(['North', 'South'])}", t,
                       [f"G{i}"] if i % 7 == 0 else [])
                for i, t in enumerate(rng.choice(types) for _ in range(n_entities))]
    dates = [f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(15)]
    docs = [Document(f"doc-gen-{i}", f"Generated {i}", f"gen/{i}", "gen", None if i % 5 == 0 else dates[i])
            for i in range(15)]
    by_type: dict[str, list[Entity]] = {}
    for e in entities:
        by_type.setdefault(e.type, []).append(e)
    batch = GraphBatch(documents=docs, entities=entities)
    names = [*RELATION_TYPES, CO_MENTIONED]
    for _ in range(n_relations):
        rtype = rng.choice(names)
        spec = RELATION_TYPES.get(rtype)
        heads = [e for t in (spec.heads if spec else by_type) for e in by_type.get(t, [])]
        tails = [e for t in (spec.tails if spec else by_type) for e in by_type.get(t, [])]
        head, tail, doc = rng.choice(heads), rng.choice(tails), rng.choice(docs)
        batch.relations.append(Relation(head.id, rtype, tail.id, rng.choice([None, "title"]), [doc.id],
                                        [f"{head.name} {rtype} {tail.name} ({doc.id})."], [doc.id], 1,
                                        doc.published, doc.published))
        batch.mentions += [Mention(doc.id, head.id), Mention(doc.id, tail.id)]
    return batch


def _actors(store: NetworkxStore, label: str | None = None, having: tuple[str, ...] = ()) -> list[str]:
    """Entity ids, sorted; only those of `label` and with a relation of one of `having`, if given."""
    g = store.graph
    out = []
    for node, attrs in g.nodes(data=True):
        if attrs["label"] == "Document" or (label and attrs["label"] != label):
            continue
        if having and not any(k in having for _, _, k in [*g.out_edges(node, keys=True),
                                                             *g.in_edges(node, keys=True)]):
            continue
        out.append(node)
    return sorted(out)


def _by_degree(store: NetworkxStore, n: int) -> list[str]:
    g = store.graph
    degree = {e: sum(1 for _, _, k in [*g.out_edges(e, keys=True), *g.in_edges(e, keys=True)] if k in STATED)
              for e in _actors(store)}
    return sorted(degree, key=lambda e: (-degree[e], e))[:n]


def _cases(name: str, store: NetworkxStore) -> Iterator[dict]:
    everyone = _actors(store)
    some = everyone[::4]  # a quarter of all actors, spread over the types (ids start with the type)
    if name in ("profile", "timeline"):
        for e in some:
            yield {"name": e}
        yield {"name": everyone[0], "types": "LOCATED_IN,PART_OF"}
    elif name == "ego":
        for e in _by_degree(store, 12) + some[::3]:
            for depth in (1, 2, 3):
                yield {"name": e, "depth": depth}
        for e in _by_degree(store, 5):
            yield {"name": e, "depth": 2, "types": "CO_MENTIONED"}
            yield {"name": e, "depth": 3, "types": "LOCATED_IN,OPERATES,PART_OF"}
    elif name == "paths":
        hubs = _by_degree(store, 10)
        for i, a in enumerate(hubs):
            for b in hubs[i + 1:]:
                yield {"from": a, "to": b, "maxLength": 8, "limit": 1000}
                yield {"from": a, "to": b, "types": "CO_MENTIONED", "maxLength": 3, "limit": 1000}
        for a, b in zip(some, some[1:], strict=False):
            yield {"from": a, "to": b, "maxLength": 8, "limit": 1000}
    elif name == "people" or name == "family":
        yield from ({"name": e} for e in _actors(store, "Organization", ("PART_OF", "HOLDS_POSITION")))
        yield from ({"name": e, "parts": False} for e in _actors(store, "Organization", ("PART_OF",))
                    if name == "people")
    elif name == "policies":
        yield from ({"name": e} for e in _actors(store, None, ("AFFECTS",)) if not e.startswith("policy/"))
    elif name == "in-place":
        yield from ({"name": e} for e in _actors(store, "Place", ("LOCATED_IN", "OPERATES")))
    elif name == "funding":
        yield from ({"name": e} for e in _actors(store, None, ("FUNDS",)))
        yield {"name": everyone[-1]}
    elif name == "central":
        for by in ("degree", "pagerank", "betweenness"):
            yield {"by": by, "limit": 1000}
        yield {"types": "CO_MENTIONED", "limit": 50}
        yield {"types": "FUNDS,PARTNERS_WITH", "by": "betweenness"}
    elif name == "communities":
        yield {}
        yield {"types": "CO_MENTIONED", "seed": 3}
        yield {"types": "CO_MENTIONED,LOCATED_IN,PART_OF", "resolution": 0.5, "minSize": 2}
    elif name == "new-since":
        for date in ("1900", "2010-06", "2020-01-01", "2022-06-14", "2024", "2100-01-01"):
            yield {"date": date}
    elif name == "lookup":
        for e in some:
            yield {"name": e, "key": e}
        for form in ("lynas", "mp materials", "china", "department of defense", "nobody at all"):
            yield {"name": form, "key": form}
    elif name == "names":
        yield {}


@pytest.mark.parametrize("name", list(QUERIES))
def test_same_rows_on_both_stores(stores, name):
    embedded, neo = stores
    cases = list(_cases(name, embedded))
    assert cases, f"no parameters for {name}"
    answered = 0
    for params in cases:
        ours, theirs = run(embedded, name, params), run(neo, name, params)
        assert json.dumps(ours) == json.dumps(theirs), (
            f"{name} {params}: embedded and Neo4j differ\nembedded: {json.dumps(ours)[:2000]}\n"
            f"neo4j:    {json.dumps(theirs)[:2000]}")
        answered += bool(ours)
    assert answered, f"{name}: every case was empty; the comparison proved nothing"


def test_names_resolve_the_same(stores):
    embedded, _neo = stores
    forms = sorted({f for row in run(embedded, "names") for f in [row["name"], *row["aliases"]]})
    assert len(forms) > 100
    for form in forms + ["LYNAS", "department of DEFENSE", "Lynaz"]:
        results = []
        for store in stores:
            try:
                results.append(resolve(store, form))
            except QueryError as exc:  # Ambiguous or NotFound: the same message on both
                results.append(f"{type(exc).__name__}: {exc}")
        assert results[0] == results[1], form
