"""The embedded store: a networkx MultiDiGraph kept in one JSON file, written atomically.

Nodes carry `label` ("Organization", "Person", "Policy", "Place" or "Document") and the same
camelCase properties as in Neo4j; edges are keyed by relationship type, so a (head, type,
tail) triple is one edge, as MERGE makes it in Neo4j.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import StoreError
from ..merge import drop_sources, merge_entity, merge_relation
from ..model import (
    Counts,
    Document,
    Entity,
    GraphBatch,
    Mention,
    Relation,
    Subgraph,
    WriteSummary,
    from_properties,
    to_properties,
)
from ..schema import DOCUMENT_LABEL, ENTITY_LABEL, MENTIONS, allows
from ..store import NamedQuery

FORMAT = "rekg-graph"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
VERSION = 1


class NetworkxStore:
    """The embedded store. Reads the file on open; each `upsert`/`forget` rewrites it atomically.

    >>> import tempfile, os
    >>> store = NetworkxStore(os.path.join(tempfile.mkdtemp(), "g.json"))
    >>> store.counts().nodes
    {}
    """

    def __init__(self, path: str | os.PathLike[str], *, autosave: bool = True) -> None:
        self.path = Path(path)
        self.autosave = autosave
        self.graph = nx.MultiDiGraph()
        if self.path.exists():
            self._load()

    # -- reading and writing the file -------------------------------------------------------
    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StoreError(f"{self.path}: cannot read the graph store ({exc})") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StoreError(f"{self.path}: not a rekg graph store")
        if data.get("version") != VERSION:
            raise StoreError(f"{self.path}: store version {data.get('version')} is not {VERSION}")
        g = self.graph
        for props in data["documents"]:
            g.add_node(props["id"], label=DOCUMENT_LABEL, **props)
        for props in data["entities"]:
            g.add_node(props["id"], label=props["type"], **props)
        for props in data["relations"]:
            g.add_edge(props["head"], props["tail"], key=props["type"], **props)
        for props in data["mentions"]:
            g.add_edge(props["document"], props["entity"], key=MENTIONS, **props)

    def _dump(self) -> dict[str, Any]:
        docs, ents, rels, ments = [], [], [], []
        for _, attrs in sorted(self.graph.nodes(data=True)):
            props = {k: v for k, v in attrs.items() if k != "label"}
            (docs if attrs["label"] == DOCUMENT_LABEL else ents).append(props)
        for _, _, key, attrs in self.graph.edges(keys=True, data=True):
            (ments if key == MENTIONS else rels).append(attrs)
        rels.sort(key=lambda r: (r["head"], r["type"], r["tail"]))
        ments.sort(key=lambda m: (m["document"], m["entity"]))
        return {"format": FORMAT, "version": VERSION, "documents": docs, "entities": ents,
                "relations": rels, "mentions": ments}

    def save(self) -> None:
        """Write the whole graph to a temporary file, fsync it, then rename it over the store.

        A crash before the rename leaves the previous file as it was.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary file would be, not mkstemp's 0600
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._dump(), fh, ensure_ascii=False, separators=(",", ":"))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        try:  # make the rename itself durable
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    # -- the protocol -----------------------------------------------------------------------
    def upsert(self, batch: GraphBatch) -> WriteSummary:
        g = self.graph
        summary = WriteSummary()
        fresh_docs: set[str] = set()
        for doc in batch.documents:
            if doc.id in g:
                summary.skipped_documents += 1
                continue
            g.add_node(doc.id, label=DOCUMENT_LABEL, **to_properties(doc))
            fresh_docs.add(doc.id)
            summary.documents += 1
        for ent in batch.entities:
            old = self._entity(ent.id) if ent.id in g else None
            if old is not None and old.type != ent.type:
                raise StoreError(f"entity {ent.id} is a {old.type}, not a {ent.type}")
            merged = merge_entity(old, ent)
            if old is None:
                summary.entities += 1
            g.add_node(ent.id, label=ent.type, **to_properties(merged))
        for rel in batch.relations:
            self._check_ends(rel)
            old = self._relation(rel.head, rel.type, rel.tail)
            merged = merge_relation(old, rel)
            if merged is None:
                continue
            if old is None:
                summary.relations += 1
            g.add_edge(rel.head, rel.tail, key=rel.type, **to_properties(merged))
        for m in batch.mentions:
            if m.document not in g or m.entity not in g:
                raise StoreError(f"mention of {m.entity} in {m.document}: unknown node")
            g.add_edge(m.document, m.entity, key=MENTIONS, **to_properties(m))
        if self.autosave and len(batch):
            self.save()
        return summary

    def _check_ends(self, rel: Relation) -> None:
        g = self.graph
        for end in (rel.head, rel.tail):
            if end not in g or g.nodes[end]["label"] == DOCUMENT_LABEL:
                raise StoreError(f"relation {rel.type} refers to unknown entity {end}")
        head_type, tail_type = g.nodes[rel.head]["label"], g.nodes[rel.tail]["label"]
        if not allows(rel.type, head_type, tail_type):
            raise StoreError(f"{rel.type} cannot join a {head_type} to a {tail_type}")

    def _entity(self, node: str) -> Entity:
        attrs = self.graph.nodes[node]
        return from_properties(Entity, attrs)

    def _relation(self, head: str, type_: str, tail: str) -> Relation | None:
        data = self.graph.get_edge_data(head, tail, key=type_)
        return from_properties(Relation, data) if data is not None else None

    def subgraph(self, entity_ids: Iterable[str] | None = None) -> Subgraph:
        g = self.graph
        if entity_ids is None:
            keep = {n for n, a in g.nodes(data=True) if a["label"] != DOCUMENT_LABEL}
        else:
            keep = {n for n in entity_ids if n in g and g.nodes[n]["label"] != DOCUMENT_LABEL}
        out = Subgraph()
        out.entities = [self._entity(n) for n in sorted(keep)]
        doc_ids: set[str] = set()
        for h, t, key, attrs in g.edges(keys=True, data=True):
            if key == MENTIONS:
                if t in keep:
                    out.mentions.append(from_properties(Mention, attrs))
                    doc_ids.add(h)
            elif h in keep and t in keep:
                out.relations.append(from_properties(Relation, attrs))
        out.relations.sort(key=lambda r: r.key)
        out.mentions.sort(key=lambda m: (m.document, m.entity))
        out.documents = [from_properties(Document, g.nodes[d]) for d in sorted(doc_ids)]
        return out

    def run(self, query: NamedQuery, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return query.finish(query.run_networkx(self.graph, params), params)

    def counts(self) -> Counts:
        nodes = Counter(a["label"] for _, a in self.graph.nodes(data=True))
        rels = Counter(k for _, _, k in self.graph.edges(keys=True))
        if nodes:
            nodes[ENTITY_LABEL] = sum(v for k, v in nodes.items() if k != DOCUMENT_LABEL)
        return Counts(dict(sorted(nodes.items())), dict(sorted(rels.items())))

    def documents(self) -> dict[str, Document]:
        return {n: from_properties(Document, a) for n, a in self.graph.nodes(data=True)
                if a["label"] == DOCUMENT_LABEL}

    def forget(self, document_ids: Iterable[str]) -> WriteSummary:
        """Remove documents, their mentions, their share of relations, and entities left bare."""
        g = self.graph
        gone = {d for d in document_ids if d in g and g.nodes[d]["label"] == DOCUMENT_LABEL}
        summary = WriteSummary()
        if not gone:
            return summary
        dates = {n: a.get("published") for n, a in g.nodes(data=True) if a["label"] == DOCUMENT_LABEL}
        touched: set[str] = set()
        for d in gone:
            touched.update(g.successors(d))
        for h, t, key, attrs in list(g.edges(keys=True, data=True)):
            if key == MENTIONS or not gone.intersection(attrs["sources"]):
                continue
            kept = drop_sources(from_properties(Relation, attrs), gone, dates)
            g.remove_edge(h, t, key=key)
            touched.update((h, t))
            if kept is None:
                summary.relations += 1
            else:
                g.add_edge(h, t, key=key, **to_properties(kept))
        g.remove_nodes_from(gone)
        summary.documents = len(gone)
        for n in touched:  # an entity no document mentions any more goes too
            if n in g and not any(g.nodes[p]["label"] == DOCUMENT_LABEL for p in g.predecessors(n)):
                if g.degree(n) == 0:
                    g.remove_node(n)
                    summary.entities += 1
        if self.autosave:
            self.save()
        return summary

    def close(self) -> None:
        pass
