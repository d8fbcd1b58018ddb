"""The Neo4j store: the same protocol and the same merge semantics as the embedded store.

The driver is handed in (`Neo4jStore(driver)`); `open_neo4j(uri, user, password)` builds one
for the CLI. Every write is one managed transaction (`execute_write`, retried on transient
errors) made of batched `UNWIND $rows ... MERGE` statements from `rekg.graph.stores.cypher`, so a
server killed in the middle of an upsert never leaves a document half-written.

How contributions merge is decided by the functions of `rekg.graph.merge`, in Python, on what the
transaction has just read and locked: Cypher orders strings by UTF-16 code units and Python
by code points, so sorting aliases and rules in Cypher would not give the embedded store's
lists. Each upsert therefore (1) merges the documents; (2) creates the entities that are new
with what the batch makes of them, and locks and reads the others, in one statement per
label; (3) locks the other entities its relations and mentions refer to (both steps read
each node's elementId); (4) creates the relations that are new with what the batch makes of
them, finding their ends by elementId and reading the relations already there in the same
statement; (5) merges what it read in Python and writes back only what changed. Every entity
is locked (or created) before it or its relations are read, so concurrent writers serialise
on the entities they share instead of losing each other's updates (a deadlock between two of
them is a transient error: the driver retries).

Nodes carry `Entity` plus their type label (or `Document`) and exactly the camelCase
properties of `rekg.graph.model.to_properties` (null values are not stored; they read back as the
dataclass default, None); relationships carry them too, less their ends and type (`head`,
`type`, `tail` of a relation, `document`, `entity` of a mention), which the relationship is.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from ..errors import QueryError, StoreError, StoreUnavailable
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
    camel,
    from_properties,
)
from ..schema import DOCUMENT_LABEL, EDGE_TYPES, ENTITY_LABEL, ENTITY_TYPES, MENTIONS, allows, check_edge_type
from ..store import NamedQuery
from . import cypher

#: The Bolt URI schemes the store speaks (the driver's HTTP preview is not used).
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Rows per `UNWIND $rows` statement.
BATCH_ROWS = 5000


@functools.cache
def _property_names(cls: type) -> tuple[tuple[str, str], ...]:
    skip = cypher.ENDPOINTS.get(cls, ())
    return tuple((f.name, camel(f.name)) for f in dataclasses.fields(cls) if f.name not in skip)


def properties(obj: Any) -> dict[str, Any]:
    """The properties the store writes for `obj`: `to_properties(obj)` without the null values,
    which Neo4j does not store, and for a relation or mention without its ends and type, which
    the relationship itself holds.

    Built from one `attrgetter` per class, as `asdict` is too slow for 100,000 rows.

    >>> from rekg.graph.model import to_properties
    >>> rel = Relation("a", "FUNDS", "b", sources=["d"], evidence=["x"])
    >>> properties(rel) == {k: v for k, v in to_properties(rel).items()
    ...                    if v is not None and k not in ("head", "type", "tail")}
    True
    """
    get, keys = _property_getter(type(obj))
    return {k: v for k, v in zip(keys, get(obj), strict=True) if v is not None}


@functools.cache
def _property_getter(cls: type) -> tuple[Callable[[Any], tuple[Any, ...]], tuple[str, ...]]:
    """One `attrgetter` for all the fields `properties` reads (it returns a tuple), and their keys."""
    names = _property_names(cls)
    get = operator.attrgetter(*(n for n, _ in names))
    if len(names) == 1:  # then attrgetter returns the value itself
        return (lambda obj: (get(obj),)), (names[0][1],)
    return get, tuple(k for _, k in names)


def _fold_relation(old: Relation | None, contributions: list[Relation]) -> Relation:
    """`old` with each contribution merged in, in order (`merge_relation` trims and bounds the
    evidence, in Python); `old` itself when every contribution is already in."""
    current = old
    for rel in contributions:
        merged = merge_relation(current, rel)
        if merged is not None:
            current = merged
    assert current is not None  # the first contribution to a new relation always merges
    return current


def _first_line(exc: BaseException) -> str:
    """The gist of a driver error on one line (the socket's reason when it gives one).

    >>> _first_line(OSError("Couldn't connect to h:1 (resolved to ('h:1',)):\\n"
    ...                     "Failed to establish connection to h (reason [Errno 111] Connection refused)"))
    '[Errno 111] Connection refused'
    """
    text = (getattr(exc, "message", None) or str(exc)).strip()
    reasons = re.findall(r"\(reason (.+?)\)\s*$", text, flags=re.M)
    if reasons:
        return reasons[-1]
    return text.splitlines()[0].rstrip(":") if text else type(exc).__name__


def _plain(value: Any) -> Any:
    """A driver value as plain JSON-ready Python: temporals as ISO strings, points as lists.

    >>> from neo4j.time import Date, Duration
    >>> _plain({"d": Date(2024, 5, 1), "p": Duration(days=2), "l": [1, (2, "x")]})
    {'d': '2024-05-01', 'p': 'P2D', 'l': [1, [2, 'x']]}
    """
    if hasattr(value, "iso_format"):  # dates, times, durations (a Duration is also a tuple)
        return value.iso_format()
    if isinstance(value, neo4j.spatial.Point):
        return list(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return value.hex()
    return value


class Neo4jStore:
    """A graph store in a Neo4j 5 database reached through `driver`.

    Creates the constraints and indexes it needs when constructed. `close()` closes the
    driver only when the store was given it to own (as `open_neo4j` does).
    """

    def __init__(self, driver: neo4j.Driver, database: str | None = None, *, uri: str | None = None,
                 owns_driver: bool = False, batch_rows: int = BATCH_ROWS) -> None:
        self._driver = driver
        self.database = database
        self.uri = uri or "the Neo4j server"
        self.owns_driver = owns_driver
        self.batch_rows = batch_rows
        self.ensure_schema()

    # -- plumbing ---------------------------------------------------------------------------
    def _session(self) -> neo4j.Session:
        return self._driver.session(
            database=self.database,
            # later sessions see what earlier ones wrote, also on a cluster
            bookmark_manager=self._driver.execute_query_bookmark_manager,
            # no "label does not exist yet" notices logged to stderr as raw objects
            notifications_min_severity="OFF",
        )

    @contextlib.contextmanager
    def _errors(self, what: str, query_error: bool = False) -> Iterator[None]:
        """Driver and server errors -> StoreUnavailable / QueryError / StoreError, one line."""
        try:
            yield
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailable(f"lost Neo4j at {self.uri} while {what}: {_first_line(exc)}") from exc
        except neo4j_errors.AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} refused the login: {_first_line(exc)}") from exc
        except neo4j_errors.ClientError as exc:
            cls = QueryError if query_error else StoreError
            raise cls(f"Neo4j rejected {what}: {_first_line(exc)}") from exc
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise StoreError(f"Neo4j at {self.uri} failed while {what}: {_first_line(exc)}") from exc

    def _write(self, work, *args: Any) -> Any:
        with self._session() as session:
            return session.execute_write(work, *args)

    def _read(self, work, *args: Any) -> Any:
        with self._session() as session:
            return session.execute_read(work, *args)

    def _run_chunks(self, tx: neo4j.ManagedTransaction, query: str, key: str, items: Iterable[Any],
                    params: Mapping[str, Any]) -> list[neo4j.Result]:
        """Run `query` once per chunk of `items` (passed as `$key`).

        `items` may be a generator: each chunk's rows are built while the server still works
        on the previous chunk, whose result the driver buffers when the next one is sent.
        """
        results = []
        rows = iter(items)
        while chunk := list(itertools.islice(rows, self.batch_rows)):
            results.append(tx.run(query, {key: chunk, **params}))
        return results

    def _batched(self, tx: neo4j.ManagedTransaction, query: str, key: str, items: Iterable[Any],
                 **params: Any) -> list[dict[str, Any]]:
        """Run `query` once per chunk of `items` and return all its rows."""
        return self._batched_counted(tx, query, key, items, **params)[0]

    def _batched_counted(self, tx: neo4j.ManagedTransaction, query: str, key: str, items: Iterable[Any],
                         **params: Any) -> tuple[list[dict[str, Any]], int]:
        """Run `query` once per chunk of `items`; all its rows, and the nodes and relationships
        it created (one number: a statement creates one or the other)."""
        out: list[dict[str, Any]] = []
        created = 0
        for result in self._run_chunks(tx, query, key, items, params):
            keys = result.keys()  # plain values only here: no per-value `data()` conversion
            out.extend(dict(zip(keys, values, strict=True)) for values in result.values())
            counters = result.consume().counters
            created += counters.nodes_created + counters.relationships_created
        return out, created

    def _batched_write(self, tx: neo4j.ManagedTransaction, query: str, key: str,
                       items: Iterable[Any]) -> int:
        """Run a write once per chunk of `items`; returns the number of nodes it created."""
        results = self._run_chunks(tx, query, key, items, {})
        return sum(result.consume().counters.nodes_created for result in results)

    def ensure_schema(self) -> None:
        """Uniqueness constraints on Entity.id and Document.id, an index on Entity.name."""
        with self._errors("creating constraints and indexes"), self._session() as session:
            for statement in cypher.schema_statements():
                session.execute_write(lambda tx, q=statement: tx.run(q).consume())
            session.execute_read(lambda tx: tx.run(cypher.await_indexes()).consume())

    # -- the protocol: writing --------------------------------------------------------------
    def upsert(self, batch: GraphBatch) -> WriteSummary:
        """Merge `batch` in one transaction; see the module docstring for how."""
        if not len(batch):
            return WriteSummary()
        for rel in batch.relations:
            check_edge_type(rel.type)
        with self._errors("writing"):
            return self._write(self._upsert, batch)

    def _upsert(self, tx: neo4j.ManagedTransaction, batch: GraphBatch) -> WriteSummary:
        # Runs again from scratch if the driver retries the transaction: no state outside it.
        summary = WriteSummary()

        # 1. documents: the first write wins
        docs: dict[str, Document] = {}
        for doc in batch.documents:
            docs.setdefault(doc.id, doc)
        rows = [{"id": d.id, "props": properties(d)} for d in docs.values()]
        summary.documents = self._batched_write(tx, cypher.merge_documents(), "rows", rows)
        summary.skipped_documents = len(batch.documents) - summary.documents

        # 2. entities: first what the batch alone makes of each (the value of a new node) ...
        contributions: dict[str, list[Entity]] = defaultdict(list)
        fresh: dict[str, Entity] = {}
        for ent in batch.entities:
            old = fresh.get(ent.id)
            if old is not None and old.type != ent.type:
                raise StoreError(f"entity {ent.id} is a {old.type}, not a {ent.type}")
            fresh[ent.id] = merge_entity(old, ent)
            contributions[ent.id].append(ent)
        # ... then create the new nodes with it, and lock and read the others (those already
        # equal to it are not returned: merging the batch into them would change nothing) ...
        types = list(ENTITY_TYPES)
        before: dict[str, Entity] = {}
        eid: dict[str, str] = {}  # the elementId of every entity the batch refers to
        for label in ENTITY_TYPES:
            rows = ({"id": i, "props": properties(e)} for i, e in sorted(fresh.items()) if e.type == label)
            found, created = self._batched_counted(tx, cypher.merge_entities(label), "rows", rows, types=types)
            summary.entities += created
            for row in found:
                eid[row["id"]] = row["eid"]
                if row["props"] is not None:
                    before[row["id"]] = self._stored_entity(row["id"], row["props"], row["types"])
        # ... and merge the batch into what was there, in batch order, as the embedded store does
        type_of: dict[str, str] = {i: e.type for i, e in fresh.items()}
        changed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ident, old in before.items():
            merged = old
            for ent in contributions[ident]:
                if merged.type != ent.type:
                    raise StoreError(f"entity {ident} is a {merged.type}, not a {ent.type}")
                merged = merge_entity(merged, ent)
            if merged != old:
                changed[merged.type].append({"id": ident, "props": properties(merged)})

        # 3. lock the other entities that relations and mentions refer to
        refs = {r.head for r in batch.relations} | {r.tail for r in batch.relations}
        refs |= {m.entity for m in batch.mentions}
        other_ids = sorted(refs - fresh.keys())
        for row in self._batched(tx, cypher.lock_existing_entities(), "ids", other_ids, types=types):
            eid[row["id"]] = row["eid"]
            if row["types"]:
                type_of[row["id"]] = row["types"][0]

        # 4. check every relation and mention before writing any of them
        for rel in batch.relations:
            for end in (rel.head, rel.tail):
                if end not in type_of:
                    raise StoreError(f"relation {rel.type} refers to unknown entity {end}")
            if not allows(rel.type, type_of[rel.head], type_of[rel.tail]):
                raise StoreError(f"{rel.type} cannot join a {type_of[rel.head]} to a {type_of[rel.tail]}")
        known_docs = set(docs)
        other_docs = sorted({m.document for m in batch.mentions} - known_docs)
        known_docs.update(r["id"] for r in self._batched(tx, cypher.existing_documents(), "ids", other_docs))
        for m in batch.mentions:
            if m.document not in known_docs or m.entity not in type_of:
                raise StoreError(f"mention of {m.entity} in {m.document}: unknown node")

        for label in ENTITY_TYPES:
            self._batched_write(tx, cypher.write_entities(label), "rows", changed.get(label, []))

        # 5. relations: each new one is created with what the batch makes of it, in the same
        #    statement that returns the ones already there; those are merged and written back
        #    (one already holding what the batch alone makes of it is not returned: merging the
        #    batch's contributions into it would change nothing, all their sources are in it)
        contribs: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
        for rel in batch.relations:
            contribs[rel.key].append(rel)
        keys_by_type: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for key in contribs:
            keys_by_type[key[1]].append(key)
        stored: dict[tuple[str, str, str], Relation] = {}
        for rel_type, keys in keys_by_type.items():
            rows = ({"head": k[0], "tail": k[2], "h": eid[k[0]], "t": eid[k[2]],
                     "props": properties(_fold_relation(None, contribs[k]))}
                    for k in keys)  # built chunk by chunk, while the server writes the previous one
            found, created = self._batched_counted(tx, cypher.merge_relations(rel_type), "rows", rows)
            summary.relations += created
            for row in found:  # there already, and not as the batch alone would make it
                stored[(row["head"], rel_type, row["tail"])] = self._stored_relation(
                    row["head"], rel_type, row["tail"], row["props"])
        changed_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for key, old in sorted(stored.items()):
            merged = _fold_relation(old, contribs[key])
            if merged != old:
                changed_rows[key[1]].append({"head": key[0], "tail": key[2], "props": properties(merged)})
        for rel_type in EDGE_TYPES:
            self._batched_write(tx, cypher.write_relations(rel_type), "rows", changed_rows.get(rel_type, []))

        # 6. mentions: the last count given for a (document, entity) pair is kept
        mentions = {(m.document, m.entity): m for m in batch.mentions}
        rows = [{"document": d, "entity": e, "props": properties(m)} for (d, e), m in mentions.items()]
        self._batched_write(tx, cypher.write_mentions(), "rows", rows)
        return summary

    @staticmethod
    def _stored_entity(ident: str, props: dict[str, Any] | None, types: list[str]) -> Entity | None:
        if props is None:
            return None
        if not types:
            raise StoreError(f"entity node {ident} has none of the labels {', '.join(ENTITY_TYPES)}")
        return from_properties(Entity, {**props, "type": types[0]})

    @staticmethod
    def _stored_relation(head: str, rel_type: str, tail: str, props: dict[str, Any]) -> Relation:
        return from_properties(Relation, {**props, "head": head, "type": rel_type, "tail": tail})

    def forget(self, document_ids: Iterable[str]) -> WriteSummary:
        """Remove documents, their mentions, their share of relations, and entities left bare."""
        ids = sorted(set(document_ids))
        if not ids:
            return WriteSummary()
        with self._errors("forgetting documents"):
            return self._write(self._forget, ids)

    def _forget(self, tx: neo4j.ManagedTransaction, ids: list[str]) -> WriteSummary:
        summary = WriteSummary()
        gone = sorted({r["id"] for r in self._batched(tx, cypher.existing_documents(), "ids", ids)})
        if not gone:
            return summary
        touched = {r["id"] for r in self._batched(tx, cypher.mentioned_by(), "ids", gone)}
        hits = tx.run(cypher.relations_from_sources(), {"ids": gone}).data()
        sources = sorted({s for h in hits for s in h["props"].get("sources", [])} - set(gone))
        dates = {r["id"]: r["published"]
                 for r in self._batched(tx, cypher.document_dates(), "ids", sources)}
        dropped, replaced = [], []
        gone_set = set(gone)
        for h in hits:
            rel = self._stored_relation(h["head"], h["type"], h["tail"], h["props"])
            kept = drop_sources(rel, gone_set, dates)
            touched.update((h["head"], h["tail"]))
            if kept is None:
                dropped.append(h["eid"])
            else:
                replaced.append({"eid": h["eid"], "props": properties(kept)})
        self._batched_write(tx, cypher.delete_relations(), "ids", dropped)
        self._batched_write(tx, cypher.replace_relations(), "rows", replaced)
        self._batched_write(tx, cypher.delete_documents(), "ids", gone)
        removed = self._batched(tx, cypher.delete_bare_entities(), "ids", sorted(touched))
        summary.relations = len(dropped)
        summary.documents = len(gone)
        summary.entities = sum(r["n"] for r in removed)
        return summary

    # -- the protocol: reading --------------------------------------------------------------
    def subgraph(self, entity_ids: Iterable[str] | None = None) -> Subgraph:
        some = entity_ids is not None
        params = {"ids": sorted(set(entity_ids))} if entity_ids is not None else {}

        def work(tx: neo4j.ManagedTransaction) -> Subgraph:
            out = Subgraph()
            ents = tx.run(cypher.read_entities(some), params).data()
            out.entities = sorted((from_properties(Entity, r["props"]) for r in ents), key=lambda e: e.id)
            rels = tx.run(cypher.read_entity_relations(some), params).data()
            out.relations = sorted((self._stored_relation(r["head"], r["type"], r["tail"], r["props"])
                                    for r in rels), key=lambda r: r.key)
            docs: dict[str, Document] = {}
            for r in tx.run(cypher.read_mentions(some), params).data():
                out.mentions.append(from_properties(
                    Mention, {**r["props"], "document": r["document"], "entity": r["entity"]}))
                docs.setdefault(r["document"], from_properties(Document, r["doc"]))
            out.mentions.sort(key=lambda m: (m.document, m.entity))
            out.documents = [docs[d] for d in sorted(docs)]
            return out

        with self._errors("reading the graph"):
            return self._read(work)

    def run(self, query: NamedQuery, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a named query's Cypher in a read transaction and finish its rows."""
        with self._errors(f"running query {query.name}", query_error=True):
            rows = self._read(lambda tx: [_plain(r.data()) for r in tx.run(query.cypher, dict(params))])
        return query.finish(rows, params)

    def execute(self, statement: str, params: Mapping[str, Any] | None = None, *,
                write: bool = False) -> list[dict[str, Any]]:
        """Run any Cypher statement (read transaction unless `write`) and return plain rows."""
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [_plain(r.data()) for r in tx.run(statement, dict(params or {}))]

        with self._errors("running the Cypher statement", query_error=True):
            with self._session() as session:
                return session.execute_write(work) if write else session.execute_read(work)

    def counts(self) -> Counts:
        with self._errors("counting"):
            row = self._read(lambda tx: tx.run(cypher.counts()).single(strict=True).data())
        node_labels = (DOCUMENT_LABEL, *ENTITY_TYPES)
        nodes = {k: row[k] for k in node_labels if row[k]}
        if nodes:  # as the embedded store: Entity counts every entity node, shown once any node exists
            nodes[ENTITY_LABEL] = row[ENTITY_LABEL]
        rels = {k: row[k] for k in (*EDGE_TYPES, MENTIONS) if row[k]}
        return Counts(dict(sorted(nodes.items())), dict(sorted(rels.items())))

    def documents(self) -> dict[str, Document]:
        with self._errors("reading documents"):
            rows = self._read(lambda tx: tx.run(cypher.read_documents()).data())
        return {r["props"]["id"]: from_properties(Document, r["props"]) for r in rows}

    def close(self) -> None:
        if self.owns_driver:
            self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_neo4j(uri: str, user: str, password: str, database: str | None = None,
               **driver_config: Any) -> Neo4jStore:
    """Connect to the Neo4j server at `uri` and return a store that owns the driver.

    Raises StoreUnavailable, with one line naming `uri`, when the server cannot be reached or
    refuses the login.

    >>> open_neo4j("bolt://127.0.0.1:1", "neo4j", "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rekg.graph.errors.StoreUnavailable: cannot reach Neo4j at bolt://127.0.0.1:1: ...
    """
    scheme = uri.partition("://")[0] if "://" in uri else ""
    if scheme not in URI_SCHEMES:
        raise StoreUnavailable(f"cannot use Neo4j URI {uri}: expected bolt://HOST:PORT or neo4j://HOST:PORT "
                               "(or their +s / +ssc forms)")
    driver_config.setdefault("connection_timeout", 15.0)
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), **driver_config)
    except (ValueError, neo4j_errors.ConfigurationError) as exc:
        raise StoreUnavailable(f"cannot use Neo4j URI {uri}: {_first_line(exc)}") from exc
    try:
        driver.verify_connectivity()
        return Neo4jStore(driver, database, uri=uri, owns_driver=True)
    except neo4j_errors.AuthError as exc:
        driver.close()
        raise StoreUnavailable(f"Neo4j at {uri} refused the login of user {user!r} "
                               f"(check NEO4J_USER and NEO4J_PASSWORD): {_first_line(exc)}") from exc
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
        driver.close()
        raise StoreUnavailable(f"cannot reach Neo4j at {uri}: {_first_line(exc)}") from exc
    except BaseException:
        driver.close()
        raise
