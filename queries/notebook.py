"""Short cells for notebooks: load a corpus, ask the named queries, see answers as tables and pictures.

Every function here is a thin layer over the rest of rekg: loading is `rekg.loaders.ingest.ingest`,
questions are the named queries of `rekg.queries.library` (the same rows on the embedded store and
on Neo4j), pictures are `rekg.queries.render`'s self-contained page. What this module adds is the
shape a notebook wants: pandas DataFrames, an inline drawing, a local Neo4j for a session.

pandas and IPython are imported inside the functions that need them (``pip install -e
".[notebooks]"``), so the core package never requires them.

>>> from rekg.queries.named.sample import sample_store
>>> store = sample_store()
>>> query(store, "people", name="MP Materials")[["person", "title"]].to_dict("records")
[{'person': 'James Litinsky', 'title': 'chief executive officer'}]
"""
from __future__ import annotations

import atexit
import html
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rekg.graph.errors import QueryError
from rekg.graph.model import Subgraph
from rekg.graph.store import Store

from .library import ego_subgraph, run
from .names import NAMES

if TYPE_CHECKING:  # only for annotations: neither is needed to import this module
    import pandas
    from IPython.display import HTML
    from rekg.graph.stores.neo4j import Neo4jStore
    from rekg.graph.stores.neo4j_local import ServerInfo

#: The sample corpus of this checkout (examples/corpus/): ten short documents written for rekg.
SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def sample_corpus() -> Path:
    """The folder of the sample corpus (FileNotFoundError, saying why, outside a checkout).

    >>> sample_corpus().name
    'corpus'
    """
    if not SAMPLE_CORPUS.is_dir():
        raise FileNotFoundError(f"{SAMPLE_CORPUS}: the sample corpus comes with a rekg checkout "
                                "(git clone, then pip install -e '.[notebooks]')")
    return SAMPLE_CORPUS


# -- loading ----------------------------------------------------------------------------------
def temporary_store() -> Store:
    """A fresh, empty embedded store held in memory: nothing is ever written to disk.

    >>> temporary_store().counts().nodes
    {}
    """
    from rekg.graph.stores.networkx import NetworkxStore

    folder = tempfile.mkdtemp(prefix="rekg-notebook-")
    os.rmdir(folder)  # autosave is off: the file is never written
    return NetworkxStore(Path(folder) / "graph.json", autosave=False)


def load_corpus(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
                store: Store | None = None, *, model: str | None = None) -> Store:
    """Load documents into `store` (default: a new `temporary_store()`) and return the store.

    `paths` are files or folders (default: the sample corpus). `model` is the spaCy pipeline
    that adds statistical entities: ``"none"`` for the rules and gazetteer only (the same
    graph on every machine), None for rekg's default (`$REKG_SPACY_MODEL`, else
    `en_core_web_sm` when installed). Documents already in the store are skipped, so loading
    twice changes nothing. An input that cannot be read is a warning naming it; the rest loads.

    >>> store = load_corpus(model="none")
    >>> store.counts().nodes["Document"]
    10
    >>> load_corpus(store=store, model="none") is store
    True
    """
    from rekg.loaders.extraction.pipeline import Settings
    from rekg.loaders.ingest import ingest, make_extractor

    if paths is None:
        paths = [sample_corpus()]
    elif isinstance(paths, str | os.PathLike):
        paths = [paths]
    store = temporary_store() if store is None else store
    settings = Settings(model=model)
    report = ingest([Path(p) for p in paths], store, make_extractor(settings), settings=settings)
    for line in [*report.failed, *report.warnings]:
        warnings.warn(line, stacklevel=2)
    return store


# -- tables -----------------------------------------------------------------------------------
def table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> pandas.DataFrame:
    """Rows (dicts, as every named query and `cypher` return) as a DataFrame.

    `columns` picks and orders the columns; with no rows the frame still has them. Values are
    kept as they are (lists stay lists); pandas escapes text when a notebook shows the frame.

    >>> table([{"name": "Lynas", "degree": 3}]).to_dict("records")
    [{'name': 'Lynas', 'degree': 3}]
    >>> list(table([], ["name", "degree"]).columns)
    ['name', 'degree']
    """
    import pandas as pd

    rows = [dict(r) for r in rows]
    if columns is not None:
        return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=list(columns))
    return pd.DataFrame(rows)


def query(store: Store, name: str, /, **params: Any) -> pandas.DataFrame:
    """Run the named query `name` (`rekg query --list`) and return its rows as a DataFrame.

    Parameters are given by keyword, as text or typed values (``types=["PART_OF", "FUNDS"]``
    or ``types="PART_OF,FUNDS"``); actor names resolve as everywhere in rekg (any name or
    alias, any case, or the id). `paths` takes ``from`` and ``to``: use `paths()`.

    >>> from rekg.queries.named.sample import sample_store
    >>> query(sample_store(), "funding", name="DoD")[["recipient", "title"]].to_dict("records")
    [{'recipient': 'Lynas USA', 'title': 'contract'}, {'recipient': 'MP Materials', 'title': 'award'}]
    """
    return table(run(store, name, params))


def counts(store: Store) -> pandas.DataFrame:
    """How many nodes of each label and relationships of each type the store holds.

    >>> from rekg.queries.named.sample import sample_store
    >>> c = counts(sample_store())
    >>> c[c["what"] == "FUNDS"].to_dict("records")
    [{'element': 'relationship', 'what': 'FUNDS', 'count': 2}]
    """
    got = store.counts()
    rows = [{"element": "node", "what": k, "count": v} for k, v in got.nodes.items()]
    rows += [{"element": "relationship", "what": k, "count": v} for k, v in got.relations.items()]
    return table(rows, ["element", "what", "count"])


def documents(store: Store) -> pandas.DataFrame:
    """The loaded documents, oldest first: date, title, publisher, source and id.

    >>> from rekg.queries.named.sample import sample_store
    >>> documents(sample_store())["title"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['MP Materials at Mountain Pass', 'Defense contract for Lynas USA', 'Lynas from Mount Weld to Texas']
    """
    rows = [{"published": d.published, "title": d.title, "publisher": d.publisher, "source": d.source, "id": d.id}
            for d in store.documents().values()]
    rows.sort(key=lambda r: (r["published"] or "", r["title"]))
    return table(rows, ["published", "title", "publisher", "source", "id"])


_ACTOR = ("name", "type", "id", "kind", "country", "aliases")
_RELATED = ("relation", "direction", "other", "otherType", "title", "count", "evidenceCount", "sources",
            "otherId")


def actor(store: Store, name: str) -> pandas.Series:
    """Who `name` is: its name, type, id, kind, country and aliases (from the `profile` query).

    >>> from rekg.queries.named.sample import sample_store
    >>> actor(sample_store(), "dpa title iii")[["name", "type", "kind"]].to_dict()
    {'name': 'Defense Production Act Title III', 'type': 'Policy', 'kind': 'law'}
    """
    import pandas as pd

    rows = run(store, "profile", {"name": name})
    return pd.Series({k: rows[0].get(k) for k in _ACTOR}, name=rows[0]["name"])


def profile(store: Store, name: str, types: Iterable[str] | str | None = None) -> pandas.DataFrame:
    """An actor's relations, one row each: type, direction, the other actor, title, how many
    documents state it and which (the `profile` query). Who the actor is (`actor()`) is in
    ``frame.attrs["actor"]``. An actor with no relations gives an empty frame.

    >>> from rekg.queries.named.sample import sample_store
    >>> p = profile(sample_store(), "Lynas USA", "PART_OF,FUNDS")
    >>> p[["relation", "direction", "other", "count"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'relation': 'FUNDS', 'direction': 'in', 'other': 'US Department of Defense', 'count': 1},
     {'relation': 'PART_OF', 'direction': 'out', 'other': 'Lynas Rare Earths', 'count': 2}]
    >>> p.attrs["actor"]["id"]
    'organization/lynas-usa'
    """
    params: dict[str, Any] = {"name": name}
    if types is not None:
        params["types"] = types
    rows = run(store, "profile", params)
    frame = table([r for r in rows if r.get("relation")], _RELATED)
    frame.attrs["actor"] = {k: rows[0].get(k) for k in _ACTOR}
    return frame


def paths(store: Store, source: str, target: str, **params: Any) -> pandas.DataFrame:
    """Every shortest path between two actors (the `paths` query), one row per hop: path
    number, hop, from, relation, direction, to and one evidence sentence. No path within
    ``maxLength`` hops (default 4) gives an empty frame.

    >>> from rekg.queries.named.sample import sample_store
    >>> paths(sample_store(), "Amanda Lacaze", "DoD")[["hop", "from", "relation", "to"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'hop': 1, 'from': 'Amanda Lacaze', 'relation': 'HOLDS_POSITION', 'to': 'Lynas Rare Earths'},
     {'hop': 2, 'from': 'Lynas Rare Earths', 'relation': 'PART_OF', 'to': 'Lynas USA'},
     {'hop': 3, 'from': 'Lynas USA', 'relation': 'FUNDS', 'to': 'US Department of Defense'}]
    """
    rows = run(store, "paths", {"from": source, "to": target, **params})
    return table(rows, ["path", "hop", "from", "relation", "direction", "to", "evidence", "fromId", "toId"])


def policies(store: Store) -> pandas.DataFrame:
    """Every policy in the graph, who issued it and what it affects, one row per policy.

    Built from the `profile` query of each Policy (ISSUED and AFFECTS relations); names in
    `issuedBy` and `affects` are joined by "; ", and `documents` counts the distinct sources.

    >>> from rekg.queries.named.sample import sample_store
    >>> policies(sample_store())[["policy", "issuedBy", "affects"]].to_dict("records")
    [{'policy': 'Defense Production Act Title III', 'issuedBy': 'US Department of Defense', 'affects': 'Lynas USA'}]
    """
    out = []
    for entity in store.run(NAMES, {}):
        if entity["type"] != "Policy":
            continue
        rows = [r for r in run(store, "profile", {"name": entity["id"], "types": ["ISSUED", "AFFECTS"]})
                if r.get("relation")]
        issued = [r["other"] for r in rows if r["relation"] == "ISSUED" and r["direction"] == "in"]
        affects = [r["other"] for r in rows if r["relation"] == "AFFECTS" and r["direction"] == "out"]
        sources = {s for r in rows for s in r.get("sources") or []}
        head = run(store, "profile", {"name": entity["id"]})[0] if not rows else rows[0]
        out.append({"policy": entity["name"], "kind": head.get("kind"), "country": head.get("country"),
                    "issuedBy": "; ".join(issued), "affects": "; ".join(affects), "documents": len(sources),
                    "id": entity["id"]})
    out.sort(key=lambda r: (not r["affects"], not r["issuedBy"], r["policy"]))
    return table(out, ["policy", "kind", "country", "issuedBy", "affects", "documents", "id"])


# -- subgraphs and pictures -------------------------------------------------------------------
def ego(store: Store, name: str, depth: int = 1, types: Iterable[str] | str | None = None) -> Subgraph:
    """The neighbourhood of an actor within `depth` hops (1-3) as a Subgraph, to `show` or
    to list with `relations` (the `ego` query, via `rekg.queries.library.ego_subgraph`).

    >>> from rekg.queries.named.sample import sample_store
    >>> sub = ego(sample_store(), "Lynas USA", 1, ["PART_OF", "FUNDS"])
    >>> sorted(e.name for e in sub.entities)
    ['Lynas Rare Earths', 'Lynas USA', 'US Department of Defense']
    """
    return ego_subgraph(store, name, depth, types)


def relations(sub: Subgraph) -> pandas.DataFrame:
    """The relations of a Subgraph as a table with the actors' names and one evidence sentence.

    >>> from rekg.queries.named.sample import sample_store
    >>> relations(ego(sample_store(), "Lynas USA", 1, "PART_OF"))[["head", "type", "tail"]].to_dict("records")
    [{'head': 'Lynas USA', 'type': 'PART_OF', 'tail': 'Lynas Rare Earths'}]
    """
    names = {e.id: e.name for e in sub.entities}
    rows = [{"head": names.get(r.head, r.head), "type": r.type, "tail": names.get(r.tail, r.tail),
             "title": r.title, "count": r.count, "evidence": r.evidence[0] if r.evidence else None,
             "headId": r.head, "tailId": r.tail}
            for r in sorted(sub.relations, key=lambda r: (r.type, names.get(r.head, r.head), r.tail))]
    return table(rows, ["head", "type", "tail", "title", "count", "evidence", "headId", "tailId"])


def page(sub: Subgraph | Store, *, title: str = "rekg graph", **options: Any) -> str:
    """The self-contained HTML page of `sub` (or of a whole store): `rekg.queries.render`'s page,
    with vis-network and every script and style inline, so it needs no network.

    `options` go to `rekg.queries.render.build_network` (`types`, `min_degree`, `max_nodes`,
    `co_mentions`, `centrality`, `layout`).

    >>> from rekg.queries.named.sample import sample_store
    >>> text = page(ego(sample_store(), "Lynas USA"))
    >>> text.startswith("<!DOCTYPE html>"), "<script src=" in text
    (True, False)
    """
    from .render import build_network, to_html

    if not isinstance(sub, Subgraph):
        sub = sub.subgraph()
    return to_html(build_network(sub, title=title, **options), title)


def show(sub: Subgraph | Store, *, height: int = 560, title: str = "rekg graph", **options: Any) -> HTML:
    """Draw `sub` (or a whole store) inline in a notebook: the page of `page()` inside an
    ``<iframe srcdoc>``, so its script and style stay apart from the notebook's. Click an actor
    or a link for where it comes from; the search box finds any name or alias.

    The page is escaped into the attribute and runs sandboxed (scripts only: no same-origin
    access, no network, as its Content-Security-Policy also says).

    >>> from rekg.queries.named.sample import sample_store
    >>> shown = show(ego(sample_store(), "Lynas USA"), height=400)
    >>> shown.data.startswith('<div class="rekg-graph"><iframe sandbox="allow-scripts"'), 'height="400"' in shown.data
    (True, True)
    """
    from IPython.display import HTML

    doc = html.escape(page(sub, title=title, **options), quote=True)
    label = html.escape(title, quote=True)
    return HTML(f'<div class="rekg-graph"><iframe sandbox="allow-scripts" title="{label}" srcdoc="{doc}" '
                f'width="100%" height="{int(height)}" style="border: 1px solid #ddd; border-radius: 4px">'
                '</iframe></div>')


# -- Neo4j ------------------------------------------------------------------------------------
def cypher(target: Any, statement: str, /, **params: Any) -> pandas.DataFrame:
    """Run a Cypher statement in a read transaction and return the rows as a DataFrame.

    `target` is a Neo4j store (``neo.store`` of `local_neo4j`, or `open_neo4j(...)`) or an
    official `neo4j.Driver`. Values go in as parameters, never into the text:
    ``cypher(neo.store, "MATCH (e:Entity {name: $name}) RETURN e.id AS id", name="Lynas Rare Earths")``.
    The embedded store speaks no Cypher: ask it the named queries (`query`).

    >>> from rekg.queries.named.sample import sample_store
    >>> cypher(sample_store(), "RETURN 1")
    Traceback (most recent call last):
    rekg.graph.errors.QueryError: the embedded store runs no Cypher: use query(store, NAME, ...) ...
    """
    if hasattr(target, "execute"):  # a Neo4jStore: its own read transaction, retried, values made plain
        rows = target.execute(statement, params)
    elif hasattr(target, "execute_query"):  # a neo4j.Driver handed in by the notebook
        records, _summary, keys = target.execute_query(statement, params, routing_="r")
        return table([r.data() for r in records], list(keys))
    else:
        raise QueryError("the embedded store runs no Cypher: use query(store, NAME, ...) for the named queries, "
                         "or a Neo4j store (local_neo4j())")
    return table(rows)


class LocalNeo4j:
    """A Neo4j for one notebook session; made by `local_neo4j()`.

    - ``store``: a `Neo4jStore` on it (every named query and `cypher` take it);
    - ``uri``, ``user``, ``password`` (``auth`` is the pair): to open a driver of your own;
    - ``started``: True when this object started the server (then `close` stops it and
      deletes its data), False when it uses the one at NEO4J_URI (then `close` only closes
      the connection, and the database is left as it is).
    """

    def __init__(self, info: ServerInfo, store: Neo4jStore, state_dir: Path | None) -> None:
        self.info = info
        self.store = store
        self.state_dir = state_dir
        self.closed = False

    @property
    def started(self) -> bool:
        return self.state_dir is not None

    @property
    def uri(self) -> str:
        return self.info.uri

    @property
    def user(self) -> str:
        return self.info.user

    @property
    def password(self) -> str:
        return self.info.password

    @property
    def auth(self) -> tuple[str, str]:
        return (self.info.user, self.info.password)

    def running(self) -> bool:
        """Whether the server this object started still runs (None-safe: False when it started none)."""
        if self.state_dir is None:
            return False
        from rekg.graph.stores import neo4j_local as neo4j_server

        return self.state_dir.is_dir() and neo4j_server.status(self.state_dir).running

    def close(self) -> None:
        """Close the connection; stop the server and delete its data if this object started it.
        Safe to call twice; also called when the Python process exits."""
        if self.closed:
            return
        self.closed = True
        atexit.unregister(self.close)
        try:
            self.store.close()
        finally:
            if self.state_dir is not None:
                from rekg.graph.stores import neo4j_local as neo4j_server

                try:
                    neo4j_server.stop(self.state_dir)
                finally:
                    shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> LocalNeo4j:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        how = "started here" if self.started else "from NEO4J_URI"
        return f"<LocalNeo4j {self.uri} ({how}{', closed' if self.closed else ''})>"


def local_neo4j(*, echo: bool = False) -> LocalNeo4j:
    """A Neo4j to use from a notebook: the server at NEO4J_URI (with NEO4J_USER and
    NEO4J_PASSWORD) when it is set, else a real local Neo4j 5 started by `tools/neo4j/` on a
    free port with its data in a temporary folder (Java 17+; Maven fetches the jars the first
    time). `close()` it at the end (or use ``with``): a server started here is stopped and its
    data deleted; one at NEO4J_URI is left running, with its data. `echo` shows the launcher's
    progress.

    Raises StoreError when the local server cannot start, StoreUnavailable when the one at
    NEO4J_URI cannot be reached.

    Example (needs Java, so not run as a doctest)::

        with local_neo4j() as neo:
            load_corpus(store=neo.store, model="none")
            cypher(neo.store, "MATCH (o:Organization)-[r:FUNDS]->(t) RETURN o.name, t.name")
    """
    from rekg.graph.stores import neo4j_local as neo4j_server
    from rekg.graph.stores.neo4j import open_neo4j

    if os.environ.get("NEO4J_URI"):
        info = neo4j_server.ServerInfo(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                                       os.environ.get("NEO4J_PASSWORD", ""))
        return LocalNeo4j(info, open_neo4j(info.uri, info.user, info.password), None)
    state = Path(tempfile.mkdtemp(prefix="rekg-neo4j-"))
    try:
        info = neo4j_server.start(state, echo=echo)
    except BaseException:
        shutil.rmtree(state, ignore_errors=True)
        raise
    try:
        store = open_neo4j(info.uri, info.user, info.password)
    except BaseException:
        try:
            neo4j_server.stop(state)
        finally:
            shutil.rmtree(state, ignore_errors=True)
        raise
    neo = LocalNeo4j(info, store, state)
    atexit.register(neo.close)  # a kernel that exits stops its server, even without close()
    return neo


def same_rows(left: pandas.DataFrame, right: pandas.DataFrame) -> bool:
    """Whether two query answers hold the same rows (as the two stores should): same columns in
    the same order, same values row by row; missing values (None, NaN) are equal to each other.

    >>> same_rows(table([{"a": 1, "b": None}]), table([{"a": 1, "b": None}]))
    True
    >>> same_rows(table([{"a": 1}]), table([{"a": 2}]))
    False
    """
    def records(frame: pandas.DataFrame) -> list[dict[str, Any]]:
        return frame.astype(object).where(frame.notna(), None).to_dict("records")

    return list(left.columns) == list(right.columns) and records(left) == records(right)


__all__ = ["SAMPLE_CORPUS", "LocalNeo4j", "actor", "counts", "cypher", "documents", "ego", "load_corpus",
           "local_neo4j", "page", "paths", "policies", "profile", "query", "relations", "same_rows",
           "sample_corpus", "show", "table", "temporary_store"]
