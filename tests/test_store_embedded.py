"""The embedded store: round trip through the file, atomic writes, merging, idempotence."""
from __future__ import annotations

import json
import os

import pytest
from rekg.graph.errors import StoreError
from rekg.graph.model import Document, Entity, GraphBatch, Mention, Relation
from rekg.graph.stores.networkx import NetworkxStore


def batch(doc_id="doc-1", date="2024-01-02", evidence="Amanda Lacaze, CEO of Lynas, said."):
    return GraphBatch(
        documents=[Document(doc_id, "A title", f"/tmp/{doc_id}.txt", "pub", date, "2024-05-01T00:00:00+00:00")],
        entities=[Entity("person/amanda-lacaze", "Amanda Lacaze", "Person", ["Lacaze"]),
                  Entity("organization/lynas", "Lynas Rare Earths", "Organization", ["Lynas"], "company", "AU")],
        relations=[Relation("person/amanda-lacaze", "HOLDS_POSITION", "organization/lynas", "CEO",
                            [doc_id], [evidence], [], 1, date, date, 0.9, ["position.rule"])],
        mentions=[Mention(doc_id, "person/amanda-lacaze", 2), Mention(doc_id, "organization/lynas", 3)],
    )


def test_round_trip_through_the_file(store_path):
    s = NetworkxStore(store_path)
    s.upsert(batch())
    again = NetworkxStore(store_path)
    assert again.subgraph() == s.subgraph()
    sub = again.subgraph()
    assert [e.name for e in sub.entities] == ["Lynas Rare Earths", "Amanda Lacaze"]
    rel = sub.relations[0]
    assert (rel.type, rel.title, rel.sources, rel.evidence_sources) == ("HOLDS_POSITION", "CEO", ["doc-1"], ["doc-1"])
    assert again.counts().nodes == {"Document": 1, "Entity": 2, "Organization": 1, "Person": 1}
    assert again.counts().relations == {"HOLDS_POSITION": 1, "MENTIONS": 2}


def test_upserting_the_same_batch_twice_changes_nothing(store_path):
    s = NetworkxStore(store_path)
    first = s.upsert(batch())
    before = store_path.read_bytes()
    second = s.upsert(batch())
    assert (first.documents, first.entities, first.relations) == (1, 2, 1)
    assert (second.documents, second.entities, second.relations, second.skipped_documents) == (0, 0, 0, 1)
    assert store_path.read_bytes() == before


def test_two_documents_merge_provenance(store_path):
    s = NetworkxStore(store_path)
    s.upsert(batch())
    s.upsert(batch("doc-2", "2023-06-30", "Lynas chief executive Amanda Lacaze spoke."))
    rel = s.subgraph().relations[0]
    assert rel.sources == ["doc-1", "doc-2"] and rel.count == 2
    assert (rel.first_seen, rel.last_seen) == ("2023-06-30", "2024-01-02")
    assert len(rel.evidence) == 2 and rel.evidence_sources == ["doc-1", "doc-2"]


def test_crash_between_temp_file_and_rename_keeps_previous_graph(store_path, monkeypatch):
    s = NetworkxStore(store_path)
    s.upsert(batch())
    before = store_path.read_bytes()

    def crash(src, dst):
        raise OSError("simulated crash before rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        s.upsert(batch("doc-2"))
    monkeypatch.undo()
    assert store_path.read_bytes() == before
    assert [p.name for p in store_path.parent.iterdir()] == [store_path.name]  # no temp left
    assert set(NetworkxStore(store_path).documents()) == {"doc-1"}


def test_relation_to_unknown_entity_or_wrong_types_is_refused(store_path):
    s = NetworkxStore(store_path)
    s.upsert(batch())
    with pytest.raises(StoreError):
        s.upsert(GraphBatch(relations=[Relation("organization/lynas", "HOLDS_POSITION",
                                                 "person/amanda-lacaze", sources=["doc-1"])]))
    with pytest.raises(StoreError):
        s.upsert(GraphBatch(relations=[Relation("person/nobody", "HOLDS_POSITION",
                                                 "organization/lynas", sources=["doc-1"])]))


def test_a_corrupt_file_is_a_clear_error(store_path):
    store_path.write_text("{not json")
    with pytest.raises(StoreError, match="cannot read"):
        NetworkxStore(store_path)
    store_path.write_text(json.dumps({"format": "other"}))
    with pytest.raises(StoreError, match="not a rekg graph store"):
        NetworkxStore(store_path)


def test_forget_removes_only_what_the_document_alone_contributed(store_path):
    s = NetworkxStore(store_path)
    s.upsert(batch())
    s.upsert(batch("doc-2", "2023-06-30", "Lynas chief executive Amanda Lacaze spoke."))
    s.forget(["doc-1"])
    rel = s.subgraph().relations[0]
    assert rel.sources == ["doc-2"] and rel.evidence_sources == ["doc-2"] and rel.count == 1
    assert rel.first_seen == rel.last_seen == "2023-06-30"
    s.forget(["doc-2"])
    assert s.counts().nodes == {} and s.subgraph().relations == []
