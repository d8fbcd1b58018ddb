"""One contract, two stores: every test here runs on the embedded store and on a real Neo4j.

The expected values come from `rekg.graph.merge`, the one statement of how contributions merge.
"""
from __future__ import annotations

import pytest
from rekg.graph.errors import StoreError
from rekg.graph.merge import merge_entity, merge_relation, trim_sentence
from rekg.graph.model import (
    EVIDENCE_CHARS,
    MAX_EVIDENCE,
    Counts,
    Document,
    Entity,
    GraphBatch,
    Mention,
    Relation,
    Subgraph,
    WriteSummary,
)

LYNAS = "organization/lynas"
MP = "organization/mp-materials"
DOD = "organization/dod"
KUANTAN = "place/kuantan"
LACY = "person/amanda-lacy"
DPA = "policy/dpa-title-iii"


def doc(n: int, published: str | None = "2024-01-01") -> Document:
    return Document(f"doc-{n}", f"Title {n}", f"/corpus/{n}.txt", "Reuters", published,
                    "2024-06-01T00:00:00+00:00")


def rel(head: str, type_: str, tail: str, source: str, evidence: list[str], *, date: str | None = None,
        confidence: float = 0.9, rules: list[str] | None = None, title: str | None = None) -> Relation:
    return Relation(head, type_, tail, title, [source], evidence, [], len(evidence), date, date,
                    confidence, rules or ["rule.a"])


def first_batch() -> GraphBatch:
    d = doc(1, "2024-03-05")
    ents = [
        Entity(LYNAS, "Lynas Rare Earths", "Organization", ["Lynas", "Lynas Corp"], "company", "AU"),
        Entity(DOD, "Department of Defense", "Organization", ["DoD", "Pentagon"], "agency", "US",
               "Q11209"),
        Entity(KUANTAN, "Kuantan", "Place", [], "city", "MY"),
        Entity(LACY, "Amanda Lacy", "Person", ["Lacy"]),
        Entity(DPA, "Defense Production Act Title III", "Policy", ["DPA"], "law", "US"),
    ]
    rels = [
        rel(LYNAS, "LOCATED_IN", KUANTAN, d.id, ["Lynas runs a plant in Kuantan."], date=d.published),
        rel(LACY, "HOLDS_POSITION", LYNAS, d.id, ["Amanda Lacy is chief executive of Lynas."],
            date=d.published, title="chief executive"),
        rel(DOD, "FUNDS", LYNAS, d.id, ["The Pentagon awarded Lynas $120 million."], date=d.published),
        rel(DOD, "ISSUED", DPA, d.id, ["The DoD administers DPA Title III."], date=d.published),
        rel(DPA, "AFFECTS", LYNAS, d.id, ["The award was made under DPA Title III."], date=d.published),
        rel(LYNAS, "CO_MENTIONED", DOD, d.id, ["Lynas and the DoD."], date=d.published, rules=["co"]),
    ]
    ments = [Mention(d.id, e.id, n) for n, e in enumerate(ents, start=1)]
    return GraphBatch([d], ents, rels, ments)


def expected(batch: GraphBatch) -> Subgraph:
    """What any store holds after writing `batch` alone into an empty store."""
    ents: dict[str, Entity | None] = {}
    for e in batch.entities:
        ents[e.id] = merge_entity(ents.get(e.id), e)
    rels: dict[tuple[str, str, str], Relation] = {}
    for r in batch.relations:
        merged = merge_relation(rels.get(r.key), r)
        if merged is not None:
            rels[r.key] = merged
    mentioned = {m.entity for m in batch.mentions}
    return Subgraph(
        sorted(ents.values(), key=lambda e: e.id),
        sorted(rels.values(), key=lambda r: r.key),
        sorted((d for d in batch.documents if any(m.document == d.id for m in batch.mentions)),
               key=lambda d: d.id),
        sorted((m for m in batch.mentions if m.entity in mentioned), key=lambda m: (m.document, m.entity)),
    )


def test_round_trip_gives_identical_dataclasses(store):
    batch = first_batch()
    summary = store.upsert(batch)
    assert summary == WriteSummary(documents=1, entities=5, relations=6, skipped_documents=0)
    got = store.subgraph()
    assert got == expected(batch)
    assert store.documents() == {"doc-1": batch.documents[0]}
    # nothing is lost or added on the way: every field, type and list survives
    lynas = next(e for e in got.entities if e.id == LYNAS)
    assert lynas == Entity(LYNAS, "Lynas Rare Earths", "Organization", ["Lynas", "Lynas Corp"], "company",
                           "AU", None)
    funds = next(r for r in got.relations if r.type == "FUNDS")
    assert funds.evidence_sources == ["doc-1"] and funds.count == 1
    assert isinstance(funds.confidence, float) and isinstance(funds.count, int)


def test_subgraph_of_some_entities(store):
    store.upsert(first_batch())
    sub = store.subgraph([LYNAS, KUANTAN, "organization/nobody", "doc-1"])
    assert [e.id for e in sub.entities] == [LYNAS, KUANTAN]
    assert [r.key for r in sub.relations] == [(LYNAS, "LOCATED_IN", KUANTAN)]
    assert [(m.document, m.entity) for m in sub.mentions] == [("doc-1", LYNAS), ("doc-1", KUANTAN)]
    assert [d.id for d in sub.documents] == ["doc-1"]
    assert store.subgraph([]) == Subgraph()


def test_counts(store):
    assert store.counts() == Counts({}, {})
    store.upsert(first_batch())
    assert store.counts() == Counts(
        {"Document": 1, "Entity": 5, "Organization": 2, "Person": 1, "Place": 1, "Policy": 1},
        {"AFFECTS": 1, "CO_MENTIONED": 1, "FUNDS": 1, "HOLDS_POSITION": 1, "ISSUED": 1,
         "LOCATED_IN": 1, "MENTIONS": 5},
    )


def test_reupsert_changes_nothing(store):
    batch = first_batch()
    store.upsert(batch)
    before = (store.subgraph(), store.counts(), store.documents())
    assert store.upsert(first_batch()) == WriteSummary(skipped_documents=1)
    assert (store.subgraph(), store.counts(), store.documents()) == before


def test_relations_merge_across_documents(store):
    store.upsert(first_batch())
    d2 = doc(2, "2023-11-20")
    second = GraphBatch(
        [d2],
        [Entity(LYNAS, "Lynas Rare Earths Ltd", "Organization", ["LYC", "Lynas"], None, None, "Q6708263"),
         Entity(DOD, "US Department of Defense", "Organization", [], "ministry", "USA")],
        [rel(DOD, "FUNDS", LYNAS, d2.id,
             ["The Pentagon awarded Lynas $120 million.",  # already kept: not repeated
              "A second award of  $258 million\nfollowed."],
             date=d2.published, confidence=0.95, rules=["rule.b", "rule.a"], title="award")],
        [Mention(d2.id, LYNAS, 3), Mention(d2.id, DOD, 1)],
    )
    assert store.upsert(second) == WriteSummary(documents=1, entities=0, relations=0)
    sub = store.subgraph()
    funds = next(r for r in sub.relations if r.type == "FUNDS")
    assert funds == Relation(
        DOD, "FUNDS", LYNAS, "award", ["doc-1", "doc-2"],
        ["The Pentagon awarded Lynas $120 million.", "A second award of $258 million followed."],
        ["doc-1", "doc-2"], 2, "2023-11-20", "2024-03-05", 0.95, ["rule.a", "rule.b"])
    lynas = next(e for e in sub.entities if e.id == LYNAS)
    assert lynas == Entity(LYNAS, "Lynas Rare Earths", "Organization",
                           ["LYC", "Lynas", "Lynas Corp", "Lynas Rare Earths Ltd"], "company", "AU",
                           "Q6708263")
    dod = next(e for e in sub.entities if e.id == DOD)
    assert (dod.name, dod.kind, dod.country) == ("Department of Defense", "agency", "US")
    assert [m.count for m in sub.mentions if m.document == "doc-2"] == [1, 3]


def test_two_contributions_in_one_batch_merge_in_order(store):
    b = first_batch()
    d2 = doc(2, "2025-01-01")
    b.documents.append(d2)
    b.relations.append(rel(DOD, "FUNDS", LYNAS, d2.id, ["Later news."], date=d2.published,
                           confidence=0.5, title="loan"))
    b.relations.append(rel(DOD, "FUNDS", LYNAS, d2.id, ["Same document again."], date=d2.published))
    b.entities.append(Entity(LYNAS, "Lynas", "Organization", ["Lynas Group"]))
    assert store.upsert(b).relations == 6
    assert store.subgraph() == expected(b)
    funds = next(r for r in store.subgraph().relations if r.type == "FUNDS")
    assert (funds.sources, funds.evidence, funds.title, funds.confidence) == (
        ["doc-1", "doc-2"], ["The Pentagon awarded Lynas $120 million.", "Later news."], "loan", 0.9)


def test_evidence_is_bounded_and_trimmed(store):
    store.upsert(first_batch())
    long = "Rare earth " * 60
    for n in range(2, 10):
        d = doc(n, f"2024-02-{n:02d}")
        sentences = [f"Sentence from document {n}.", long] if n == 2 else [f"Sentence from document {n}."]
        store.upsert(GraphBatch([d], [], [rel(LYNAS, "LOCATED_IN", KUANTAN, d.id, sentences,
                                              date=d.published)], [Mention(d.id, LYNAS)]))
    located = next(r for r in store.subgraph().relations if r.type == "LOCATED_IN")
    assert len(located.evidence) == MAX_EVIDENCE == len(located.evidence_sources)
    assert located.evidence[:3] == ["Lynas runs a plant in Kuantan.", "Sentence from document 2.",
                                    trim_sentence(long)]
    assert len(located.evidence[2]) == EVIDENCE_CHARS and located.evidence[2].endswith("…")
    assert located.evidence_sources == ["doc-1", "doc-2", "doc-2", "doc-3", "doc-4"]
    assert located.count == 9 and len(located.sources) == 9
    assert (located.first_seen, located.last_seen) == ("2024-02-02", "2024-03-05")


def test_forget(store):
    store.upsert(first_batch())
    d2 = doc(2, "2022-05-05")
    store.upsert(GraphBatch(
        [d2], [Entity(MP, "MP Materials", "Organization", ["MP"], "company", "US"),
               Entity(LYNAS, "Lynas Rare Earths", "Organization")],
        [rel(MP, "PARTNERS_WITH", LYNAS, d2.id, ["MP and Lynas talked."], date=d2.published),
         rel(LYNAS, "LOCATED_IN", KUANTAN, d2.id, ["Kuantan again."], date=d2.published)],
        [Mention(d2.id, MP), Mention(d2.id, LYNAS)]))
    assert store.forget(["doc-2", "doc-404"]) == WriteSummary(documents=1, entities=1, relations=1)
    assert set(store.documents()) == {"doc-1"}
    assert store.subgraph() == expected(first_batch())
    # forgetting the first document too leaves an empty graph
    assert store.forget(["doc-1"]) == WriteSummary(documents=1, entities=5, relations=6)
    assert store.subgraph() == Subgraph() and store.counts() == Counts({}, {})
    assert store.forget([]) == WriteSummary()


def test_forget_recomputes_dates(store):
    store.upsert(first_batch())
    d2 = doc(2, "2020-01-01")
    store.upsert(GraphBatch([d2], [], [rel(DOD, "FUNDS", LYNAS, d2.id, ["Old news."], date=d2.published)],
                            [Mention(d2.id, DOD)]))
    funds = next(r for r in store.subgraph().relations if r.type == "FUNDS")
    assert (funds.first_seen, funds.count) == ("2020-01-01", 2)
    assert store.forget(["doc-1"]).relations == 5
    funds = next(r for r in store.subgraph().relations if r.type == "FUNDS")
    assert funds == Relation(DOD, "FUNDS", LYNAS, None, ["doc-2"], ["Old news."], ["doc-2"], 1,
                             "2020-01-01", "2020-01-01", 0.9, ["rule.a"])


NASTY = [
    "O'Reilly \"Rare\" Earths",
    "Back\\slash \\' \\\" Holdings",
    "Curly } ]) -> {x} Ltd",
    "MATCH (n) DETACH DELETE n //",
    "'; CALL db.clearQueryCaches(); //",
    "<script>alert('x')</script>",
    "Zeta \u00e9\u00e8 \u5317\u65b9\u7a00\u571f",
    "\U0001F600 Emoji Mining",  # beyond the BMP: sorted by code point as Python sorts
    "\uff01Fullwidth Corp",      # U+FF01: Cypher (UTF-16) would sort it after the emoji
    "$param `backtick` ${x}",
]


def test_names_are_stored_verbatim(store):
    d = Document("doc-x'}) DETACH DELETE n //", NASTY[3], NASTY[5], NASTY[1], "2024-01-01")
    ents = [Entity(f"organization/{i}-{name}", name, "Organization", [a for a in NASTY if a != name],
                   NASTY[2], NASTY[0]) for i, name in enumerate(NASTY)]
    rels = [rel(ents[i].id, "PARTNERS_WITH", ents[i + 1].id, d.id, [NASTY[i], NASTY[-1 - i]], rules=[NASTY[i]],
                title=NASTY[i + 1]) for i in range(len(NASTY) - 1)]
    batch = GraphBatch([d], ents, rels, [Mention(d.id, e.id, 2) for e in ents])
    store.upsert(batch)
    got = store.subgraph()
    assert got == expected(batch)
    assert got.entities[0].aliases == sorted(got.entities[0].aliases)
    assert store.documents()[d.id] == d
    # and a second contribution merges them with the same sorting
    d2 = Document("doc-2", "t", "s")
    store.upsert(GraphBatch([d2], [Entity(ents[0].id, "other name", "Organization", ["\U0001F4A9", "\uffee"])],
                            [], [Mention(d2.id, ents[0].id)]))
    first = next(e for e in store.subgraph().entities if e.id == ents[0].id)
    assert first.aliases == sorted({*ents[0].aliases, "other name", "\U0001F4A9", "\uffee"})


def test_relation_to_unknown_entity_is_refused(store):
    b = first_batch()
    b.relations.append(rel(LYNAS, "PART_OF", "organization/ghost", "doc-1", ["x"]))
    with pytest.raises(StoreError, match="unknown entity organization/ghost"):
        store.upsert(b)


def test_relation_against_the_schema_is_refused(store):
    b = first_batch()
    b.relations.append(rel(KUANTAN, "HOLDS_POSITION", LYNAS, "doc-1", ["x"]))
    with pytest.raises(StoreError, match="HOLDS_POSITION cannot join a Place to a Organization"):
        store.upsert(b)


def test_entity_changing_type_is_refused(store):
    store.upsert(first_batch())
    with pytest.raises(StoreError, match="is a Place, not a Organization"):
        store.upsert(GraphBatch([], [Entity(KUANTAN, "Kuantan", "Organization")]))


def test_mention_of_unknown_document_is_refused(store):
    store.upsert(first_batch())
    with pytest.raises(StoreError, match="unknown node"):
        store.upsert(GraphBatch([], [], [], [Mention("doc-404", LYNAS)]))
