"""Exports of a subgraph: GraphML, GEXF, neo4j-admin CSV, a Cypher script, JSON.

Pure builders (`build_graphml`, `build_gexf`, `build_csv`, `build_cypher`, `build_json`) return
text or dicts and are tested by reading them back (`parse_graphml`, `parse_gexf`, `parse_csv`,
`parse_json`); `write_export` only writes. Properties are those the Neo4j store writes
(`to_properties`, camelCase, nulls left out), so an import of the CSV files or a run of the
Cypher script gives the graph that `rekg --neo4j …` would have built.

>>> from rekg.graph.model import Entity, Subgraph
>>> sub = Subgraph(entities=[Entity("person/a", "A <b>", "Person", aliases=["Ä; a"])])
>>> parse_graphml(build_graphml(sub)) == sub
True
"""
from __future__ import annotations

import csv
import io
import json
import re
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import networkx as nx
from rekg.graph.errors import InputError, QueryError
from rekg.graph.model import Document, Entity, Mention, Relation, Subgraph, camel, from_properties, to_properties
from rekg.graph.schema import (
    CO_MENTIONED,
    DOCUMENT_LABEL,
    ENTITY_LABEL,
    ENTITY_TYPES,
    MENTIONS,
    check_edge_type,
    check_entity_type,
)
from rekg.graph.stores import cypher as store_cypher

FORMATS = ("graphml", "gexf", "csv", "cypher", "json")
JSON_FORMAT = "rekg-subgraph"
JSON_VERSION = 1


def _list_fields(cls: type) -> tuple[str, ...]:
    """The camelCase names of a model dataclass's list fields (JSON strings in GraphML/GEXF)."""
    out = []
    for f in fields(cls):
        if str(f.type).startswith("list["):
            out.append(camel(f.name))
    return tuple(out)


def _props(obj: Any) -> dict[str, Any]:
    """The properties the Neo4j store writes for `obj`: camelCase, without nulls."""
    return {k: v for k, v in to_properties(obj).items() if v is not None}


def restrict(sub: Subgraph, *, co_mentions: bool = True, documents: bool = True) -> Subgraph:
    """`sub` without CO_MENTIONED links (unless `co_mentions`) or documents and mentions."""
    rels = [r for r in sub.relations if co_mentions or r.type != CO_MENTIONED]
    return Subgraph(entities=list(sub.entities), relations=rels,
                    documents=list(sub.documents) if documents else [],
                    mentions=list(sub.mentions) if documents else [])


# -- networkx: GraphML and GEXF ---------------------------------------------------------------
_NODE_KIND = "type"  # node attribute: the entity type, or "Document"
_EDGE_KIND = "relation"  # edge attribute: the relationship type ("type" is GEXF's direction)


def to_networkx(sub: Subgraph) -> nx.MultiDiGraph:
    """`sub` as a MultiDiGraph for GraphML/GEXF: list properties as JSON text, no nulls.

    Nodes are keyed by id, with `type` (entity type or "Document") and `label` (name or
    title, for Gephi and yEd); edges are keyed by relationship type, with `relation` and
    `label` set to it.
    """
    g = nx.MultiDiGraph()
    for d in sub.documents:
        g.add_node(d.id, **_flat(_props(d), Document), **{_NODE_KIND: DOCUMENT_LABEL, "label": d.title})
    for e in sub.entities:
        g.add_node(e.id, **_flat(_props(e), Entity), label=e.name)
    for r in sub.relations:
        g.add_edge(r.head, r.tail, key=r.type, **_flat(_props(r), Relation),
                   **{_EDGE_KIND: r.type, "label": r.type})
    for m in sub.mentions:
        g.add_edge(m.document, m.entity, key=MENTIONS, **_flat(_props(m), Mention),
                   **{_EDGE_KIND: MENTIONS, "label": MENTIONS})
    return g


def _flat(props: dict[str, Any], cls: type) -> dict[str, Any]:
    lists = _list_fields(cls)
    out = {k: json.dumps(v, ensure_ascii=False) if k in lists else v for k, v in props.items()}
    out.pop("type", None)  # entities: `type` is set as the node kind; relations: `relation`
    if cls is Entity:
        out[_NODE_KIND] = props["type"]
    return out


def _unflat(attrs: Mapping[str, Any], cls: type) -> dict[str, Any]:
    lists = _list_fields(cls)
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if k in lists:
            try:
                out[k] = json.loads(v) if isinstance(v, str) else list(v)
            except json.JSONDecodeError as exc:
                raise InputError(f"property {k}: not a JSON list ({exc})") from exc
        else:
            out[k] = v
    return out


def from_networkx(g: nx.DiGraph) -> Subgraph:
    """Inverse of `to_networkx`: the Subgraph of a graph read back from GraphML or GEXF."""
    if not g.is_multigraph():  # readers return a DiGraph when no two edges share their ends
        g = nx.MultiDiGraph(g)
    sub = Subgraph()
    for node, attrs in g.nodes(data=True):
        kind = attrs.get(_NODE_KIND)
        props = {k: v for k, v in attrs.items() if k not in (_NODE_KIND, "label")}
        props["id"] = str(node)
        if kind == DOCUMENT_LABEL:
            sub.documents.append(from_properties(Document, _unflat(props, Document)))
        else:
            props["type"] = kind
            sub.entities.append(from_properties(Entity, _unflat(props, Entity)))
    for head, tail, key, attrs in g.edges(keys=True, data=True):
        kind = attrs.get(_EDGE_KIND, key)
        props = {k: v for k, v in attrs.items() if k not in (_EDGE_KIND, "label", "id", "key")}
        if kind == MENTIONS:
            props.update(document=str(head), entity=str(tail))
            sub.mentions.append(from_properties(Mention, _unflat(props, Mention)))
        else:
            props.update(head=str(head), tail=str(tail), type=kind)
            sub.relations.append(from_properties(Relation, _unflat(props, Relation)))
    _sort(sub)
    return sub


def _sort(sub: Subgraph) -> None:
    sub.entities.sort(key=lambda e: e.id)
    sub.documents.sort(key=lambda d: d.id)
    sub.relations.sort(key=lambda r: r.key)
    sub.mentions.sort(key=lambda m: (m.document, m.entity))


def build_graphml(sub: Subgraph) -> str:
    """GraphML text of `sub` (lists as JSON strings: GraphML has no list type)."""
    return "\n".join(nx.generate_graphml(to_networkx(sub), encoding="utf-8", prettyprint=True)) + "\n"


def parse_graphml(text: str) -> Subgraph:
    """The Subgraph in GraphML text written by `build_graphml`."""
    try:
        g = nx.parse_graphml(text, force_multigraph=True)
    except Exception as exc:  # networkx raises several kinds; the file is the problem
        raise InputError(f"not readable GraphML ({exc})") from exc
    return from_networkx(g)


def build_gexf(sub: Subgraph) -> str:
    """GEXF 1.2 text of `sub` (lists as JSON strings)."""
    return "\n".join(nx.generate_gexf(to_networkx(sub), encoding="utf-8", prettyprint=True)) + "\n"


def parse_gexf(text: str) -> Subgraph:
    """The Subgraph in GEXF text written by `build_gexf`."""
    try:
        g = nx.read_gexf(io.BytesIO(text.encode("utf-8")), node_type=str)
    except Exception as exc:  # networkx raises several kinds; the file is the problem
        raise InputError(f"not readable GEXF ({exc})") from exc
    return from_networkx(g)


# -- JSON -------------------------------------------------------------------------------------
def build_json(sub: Subgraph) -> dict[str, Any]:
    """`sub` as plain dicts, with the same camelCase properties as the stores (nulls kept)."""
    return {"format": JSON_FORMAT, "version": JSON_VERSION,
            "entities": [to_properties(e) for e in sub.entities],
            "relations": [to_properties(r) for r in sub.relations],
            "documents": [to_properties(d) for d in sub.documents],
            "mentions": [to_properties(m) for m in sub.mentions]}


def parse_json(data: Mapping[str, Any]) -> Subgraph:
    """Inverse of `build_json`."""
    if data.get("format") != JSON_FORMAT:
        raise InputError(f"not a {JSON_FORMAT} JSON export")
    return Subgraph(entities=[from_properties(Entity, p) for p in data["entities"]],
                    relations=[from_properties(Relation, p) for p in data["relations"]],
                    documents=[from_properties(Document, p) for p in data["documents"]],
                    mentions=[from_properties(Mention, p) for p in data["mentions"]])


# -- neo4j-admin CSV --------------------------------------------------------------------------
#: Array delimiters tried in turn: the first that no list value and no label contains wins.
ARRAY_DELIMITERS = (";", "|", "\u001f")


def _csv_type(cls: type, name: str) -> str:
    annotation = str(next(f.type for f in fields(cls) if camel(f.name) == name))
    if annotation.startswith("list["):
        return "string[]"
    return {"int": "int", "float": "float"}.get(annotation, "")


def _columns(cls: type) -> list[tuple[str, str]]:
    """(property, header) pairs of a model class, e.g. ('aliases', 'aliases:string[]'); a node's
    `id` is its import key, ``id:ID`` (stored as the property `id`)."""
    out = []
    for f in fields(cls):
        name = camel(f.name)
        kind = "ID" if name == "id" else _csv_type(cls, name)
        out.append((name, f"{name}:{kind}" if kind else name))
    return out


@dataclass
class CsvExport:
    """The files of a neo4j-admin import, by file name, and the options it needs."""

    files: dict[str, str] = field(default_factory=dict)
    nodes: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    array_delimiter: str = ";"
    multiline: bool = False

    def command(self, folder: str | Path, database: str = "neo4j") -> str:
        """The `neo4j-admin database import full` line that loads these files from `folder`."""
        folder = Path(folder)
        delim = self.array_delimiter if self.array_delimiter.isprintable() else \
            f"U+{ord(self.array_delimiter):04X}"
        # the database goes first: --nodes and --relationships take any number of files
        parts = ["neo4j-admin", "database", "import", "full", database, f"--array-delimiter={delim}"]
        if self.multiline:
            parts.append("--multiline-fields=true")
        parts += [f"--nodes={folder / n}" for n in self.nodes]
        parts += [f"--relationships={folder / r}" for r in self.relationships]
        return " ".join(shlex.quote(p) for p in parts)


def _pick_delimiter(sub: Subgraph) -> str:
    used: set[str] = set()
    for e in sub.entities:
        used.update(e.aliases)
    for r in sub.relations:
        used.update(r.sources + r.evidence + r.evidence_sources + r.rules)
    for delim in ARRAY_DELIMITERS:
        if not any(delim in text for text in used):
            return delim
    raise QueryError("every array delimiter rekg knows occurs in the data; cannot write CSV arrays")


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _cell(value: Any, delim: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return delim.join(str(v) for v in value)
    return str(value)


def build_csv(sub: Subgraph) -> CsvExport:
    """The node and relationship files `neo4j-admin database import full` reads.

    One file per entity label (`nodes-Organization.csv`, …, `nodes-Document.csv`) with
    ``id:ID`` and ``:LABEL`` (``Entity;Organization``), and one per relationship type
    (`relationships-PART_OF.csv`, …, `relationships-MENTIONS.csv`) with ``:START_ID``,
    ``:END_ID`` and ``:TYPE``; lists are typed arrays (``aliases:string[]``). A
    `schema.cypher` with the store's constraints comes along, to run after the import.
    """
    out = CsvExport(array_delimiter=_pick_delimiter(sub))
    delim = out.array_delimiter

    def add(kind: str, name: str, cls: type, lead: list[str], items: list[tuple[list[str], Any]]) -> None:
        cols = _columns(cls)
        rows = []
        for prefix, obj in items:
            props = to_properties(obj)
            rows.append(prefix + [_cell(props[p], delim) for p, _h in cols])
        text = _csv_text(lead + [h for _p, h in cols], rows)
        out.multiline = out.multiline or any("\n" in c or "\r" in c for r in rows for c in r)
        out.files[name] = text
        (out.nodes if kind == "nodes" else out.relationships).append(name)

    for label in ENTITY_TYPES:
        ents = [e for e in sub.entities if e.type == label]
        if ents:
            labels = delim.join((ENTITY_LABEL, check_entity_type(label)))
            add("nodes", f"nodes-{label}.csv", Entity, [":LABEL"], [([labels], e) for e in ents])
    if sub.documents:
        add("nodes", "nodes-Document.csv", Document, [":LABEL"],
            [([DOCUMENT_LABEL], d) for d in sub.documents])
    by_type: dict[str, list[Relation]] = {}
    for r in sub.relations:
        by_type.setdefault(check_edge_type(r.type), []).append(r)
    for rel_type in sorted(by_type):
        add("relationships", f"relationships-{rel_type}.csv", Relation, [":START_ID", ":END_ID", ":TYPE"],
            [([r.head, r.tail, rel_type], r) for r in by_type[rel_type]])
    if sub.mentions:
        add("relationships", f"relationships-{MENTIONS}.csv", Mention, [":START_ID", ":END_ID", ":TYPE"],
            [([m.document, m.entity, MENTIONS], m) for m in sub.mentions])
    out.files["schema.cypher"] = "".join(s + ";\n" for s in store_cypher.schema_statements())
    return out


def parse_csv(files: Mapping[str, str], array_delimiter: str = ";") -> Subgraph:
    """Read the files of `build_csv` back, as neo4j-admin would: typed columns, empty = no value."""
    sub = Subgraph()
    for name, text in sorted(files.items()):
        if not name.endswith(".csv"):
            continue
        rows = list(csv.reader(io.StringIO(text)))
        header, body = rows[0], rows[1:]
        for row in body:
            props: dict[str, Any] = {}
            for col, value in zip(header, row, strict=True):
                prop, _, kind = col.partition(":")
                if prop:
                    props[prop] = _typed(value, "" if kind == "ID" else kind, array_delimiter)
            if name.startswith("nodes-Document"):
                sub.documents.append(from_properties(Document, props))
            elif name.startswith("nodes-"):
                sub.entities.append(from_properties(Entity, props))
            elif name == f"relationships-{MENTIONS}.csv":
                sub.mentions.append(from_properties(Mention, props))
            else:
                sub.relations.append(from_properties(Relation, props))
    _sort(sub)
    return sub


def _typed(value: str, kind: str, delim: str) -> Any:
    if kind == "string[]":
        return value.split(delim) if value else []
    if value == "":
        return None
    return {"int": int, "float": float}.get(kind, str)(value)


# -- Cypher script ----------------------------------------------------------------------------
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a JSON-like value; strings single-quoted with every special escaped.

    >>> cypher_literal({"name": "O'Neil \\\\ co\\n", "n": [1, 2.5, None, True]})
    "{name: 'O\\\\'Neil \\\\\\\\ co\\\\n', n: [1, 2.5, null, true]}"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise QueryError(f"{value} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        out = []
        for ch in value:
            if ch in _ESCAPES:
                out.append(_ESCAPES[ch])
            elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
        return "'" + "".join(out) + "'"
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            key = k if _IDENT.match(k) else "`" + k.replace("`", "``") + "`"
            items.append(f"{key}: {cypher_literal(v)}")
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise QueryError(f"{type(value).__name__} has no Cypher literal")


def merge_entities(label: str) -> str:
    """Create or update entities of one label: MERGE on id, set properties, add the label."""
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (e:{ENTITY_LABEL} {{id: row.id}})\n"
        f"SET e = row.props, e:{check_entity_type(label)}"
    )


def _batches(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i: i + size]


def build_cypher(sub: Subgraph, batch_size: int = 500) -> str:
    """A cypher-shell script that builds `sub` in Neo4j, every value a parameter.

    Each batch is one ``:param {rows: [...]}`` line (values as escaped Cypher literals) and one
    fixed ``UNWIND $rows … MERGE`` statement — the same statements the Neo4j store sends.
    Run it with ``cypher-shell -f FILE``; MERGE makes a second run change nothing.
    """
    out = [f"// rekg export: {len(sub.entities)} entities, {len(sub.relations)} relations, "
           f"{len(sub.documents)} documents, {len(sub.mentions)} mentions",
           "// run with: cypher-shell -a URI -u USER -p PASSWORD -f THIS_FILE", ""]
    out += [s + ";" for s in store_cypher.schema_statements()]

    def emit(statement: str, rows: list[dict[str, Any]]) -> None:
        for batch in _batches(rows, batch_size):
            out.append("")
            out.append(f":param {{rows: {cypher_literal(batch)}}};")
            out.append(statement + ";")

    emit(store_cypher.merge_documents(), [{"id": d.id, "props": _props(d)} for d in sub.documents])
    for label in ENTITY_TYPES:
        emit(merge_entities(label), [{"id": e.id, "props": _props(e)} for e in sub.entities if e.type == label])
    by_type: dict[str, list[Relation]] = {}
    for r in sub.relations:
        by_type.setdefault(check_edge_type(r.type), []).append(r)
    for rel_type in sorted(by_type):
        emit(store_cypher.write_relations(rel_type),
             [{"head": r.head, "tail": r.tail, "props": _props(r)} for r in by_type[rel_type]])
    emit(store_cypher.write_mentions(),
         [{"document": m.document, "entity": m.entity, "props": _props(m)} for m in sub.mentions])
    out.append("")
    out.append(":param clear")
    return "\n".join(out) + "\n"


# -- writing ----------------------------------------------------------------------------------
@dataclass
class Written:
    """What `write_export` wrote, and for CSV the command that imports it."""

    paths: list[Path]
    command: str | None = None


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


_TEXT_BUILDERS: dict[str, Callable[[Subgraph], str]] = {
    "graphml": build_graphml,
    "gexf": build_gexf,
    "cypher": build_cypher,
    "json": lambda sub: json.dumps(build_json(sub), ensure_ascii=False, indent=1) + "\n",
}


def write_export(sub: Subgraph, fmt: str, path: str | Path) -> Written:
    """Write `sub` as `fmt` to `path` (a folder for csv, a file otherwise)."""
    path = Path(path)
    if fmt == "csv":
        if path.exists() and not path.is_dir():
            raise QueryError(f"{path}: csv export writes a folder of files, and this is a file")
        export = build_csv(sub)
        paths = [_write_text(path / name, text) for name, text in export.files.items()]
        return Written(paths, export.command(path.resolve()))
    if fmt not in _TEXT_BUILDERS:
        raise QueryError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if path.is_dir():
        raise QueryError(f"{path}: is a folder; give a file name for the {fmt} export")
    return Written([_write_text(path, _TEXT_BUILDERS[fmt](sub))])
