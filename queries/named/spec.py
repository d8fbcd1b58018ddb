"""What a named query is, beyond `rekg.queries.base.Query`: its parameters, and shared helpers.

Every named query answers one question twice — Cypher for Neo4j (`queries/cypher/NAME.cypher`)
and a function over the embedded store's networkx graph — and both raw answers pass through
the same `post` step, which sorts, rounds and shapes the rows. That shared step is what makes
the two stores return identical rows: the backends only have to agree on *which* facts
answer the question, never on order or presentation.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rekg.graph.errors import QueryError
from rekg.graph.schema import DOCUMENT_LABEL, EDGE_TYPES, RELATION_TYPES

from ..base import Query, Rows

#: The relation types a stated-relation query follows unless told otherwise (no CO_MENTIONED).
STATED: tuple[str, ...] = tuple(RELATION_TYPES)
#: Floats in answers are rounded to this many decimals, so both stores print the same numbers.
DECIMALS = 6

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off"}


@dataclass(frozen=True)
class Param:
    """One parameter of a named query, as the CLI takes it (`--param NAME=VALUE`).

    `kind` says how a text value is read: ``actor`` (a name, alias or id, resolved to an
    entity id and passed on as `target`), ``int``, ``float``, ``bool``, ``date`` (ISO,
    YYYY[-MM[-DD]]), ``types`` (comma-separated relation types) or ``choice``.
    """

    name: str
    kind: str
    help: str
    default: Any = None
    required: bool = False
    target: str | None = None  # actor params: the key the resolved id is passed as
    actor_types: tuple[str, ...] | None = None  # actor params: allowed entity types
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    allow_co_mentioned: bool = False  # types params: may include CO_MENTIONED

    @property
    def key(self) -> str:
        return self.target or self.name

    def convert(self, value: Any) -> Any:
        """Check `value` (text from the CLI, or a Python value) and return it typed."""
        kind = self.kind
        try:
            if kind == "int":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError(value)
                out: Any = int(value)
            elif kind == "float":
                out = float(value)
                if not math.isfinite(out):
                    raise ValueError(value)
            elif kind == "bool":
                if isinstance(value, bool):
                    out = value
                elif str(value).strip().lower() in _TRUE:
                    out = True
                elif str(value).strip().lower() in _FALSE:
                    out = False
                else:
                    raise ValueError(value)
            elif kind == "date":
                out = str(value).strip()
                if not _DATE.match(out):
                    raise ValueError(value)
            elif kind == "types":
                return self._types(value)
            elif kind == "choice":
                out = str(value).strip()
                if out not in self.choices:
                    raise QueryError(f"parameter {self.name} must be one of {', '.join(self.choices)}, "
                                     f"not {value!r}")
            else:  # actor, str
                out = str(value).strip()
                if not out:
                    raise ValueError(value)
        except (TypeError, ValueError) as exc:
            raise QueryError(f"parameter {self.name}: {value!r} is not a valid {kind} ({self.help})") from exc
        if self.low is not None and out < self.low or self.high is not None and out > self.high:
            raise QueryError(f"parameter {self.name} must be between {self.low:g} and {self.high:g}, "
                             f"not {out}")
        return out

    def _types(self, value: Any) -> list[str]:
        items = value.split(",") if isinstance(value, str) else list(value)
        allowed = EDGE_TYPES if self.allow_co_mentioned else STATED
        out: list[str] = []
        for item in items:
            t = str(item).strip().upper().replace("-", "_")
            if not t:
                continue
            if t not in allowed:
                raise QueryError(f"parameter {self.name}: unknown relation type {item!r}; "
                                 f"expected some of {', '.join(allowed)}")
            if t not in out:
                out.append(t)
        if not out:
            raise QueryError(f"parameter {self.name}: name at least one relation type")
        return sorted(out)


def types_param(help: str = "relation types to follow, comma-separated (default: every stated one)",
                *, co_mentioned: bool = False) -> Param:
    """The usual `types` parameter: defaults to every stated relation type."""
    return Param("types", "types", help, default=list(STATED), allow_co_mentioned=co_mentioned)


@dataclass(frozen=True)
class Named(Query):
    """A named query with its parameters; `example` is a CLI line shown by `rekg query --list`."""

    params: tuple[Param, ...] = ()
    example: str = ""
    internal: bool = False  # a building block (lookup, names), not listed for analysts


# -- helpers shared by the networkx implementations --------------------------------------------

def entity_type(graph: nx.MultiDiGraph, node: str) -> str | None:
    """The entity label of `node`, or None for a Document or a missing node."""
    attrs = graph._node.get(node)
    if attrs is None or attrs.get("label") == DOCUMENT_LABEL:
        return None
    return attrs.get("label")



def edges_of(graph: nx.MultiDiGraph, node: str, types: Iterable[str]
             ) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every relation of `types` at `node`, as (head, type, tail, attrs); a self-loop once."""
    wanted = set(types)
    for tail, keyed in graph._succ[node].items():
        for key, attrs in keyed.items():
            if key in wanted:
                yield node, key, tail, attrs
    for head, keyed in graph._pred[node].items():
        if head == node:
            continue
        for key, attrs in keyed.items():
            if key in wanted:
                yield head, key, node, attrs


def neighbours(graph: nx.MultiDiGraph, node: str, types: frozenset[str] | set[str]) -> Iterator[str]:
    """Nodes joined to `node` by at least one relation of `types`, either direction, each once."""
    succ, pred = graph._succ[node], graph._pred[node]
    for other, keyed in succ.items():
        if other != node and not types.isdisjoint(keyed):
            yield other
    for other, keyed in pred.items():
        if other != node and not types.isdisjoint(keyed) and (
                other not in succ or types.isdisjoint(succ[other])):
            yield other


def doc_titles(graph: nx.MultiDiGraph, ids: Iterable[str] | None) -> list[str | None]:
    """The titles of the documents among `ids` that are in the graph."""
    nodes = graph.nodes
    return [nodes[d].get("title") for d in ids or () if d in nodes
            and nodes[d].get("label") == DOCUMENT_LABEL]


def first(values: list[Any] | None) -> Any:
    """The first item of a list property, or None (Cypher's `head`)."""
    return values[0] if values else None


# -- helpers shared by the post steps -------------------------------------------------------------

def plain(value: Any) -> Any:
    """A JSON-able copy of a value read from either store (driver dates become ISO text)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return round(value, DECIMALS)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    iso = getattr(value, "iso_format", None) or getattr(value, "isoformat", None)
    if iso is not None:
        return iso()
    return str(value)


def nulls_last(value: Any) -> tuple[bool, Any]:
    """Sort key: None after every value (which must otherwise be of one type)."""
    return (value is None, "" if value is None else value)


def sorted_text(values: Iterable[Any] | None) -> list[Any]:
    """A list property sorted with None last (so `collect` order never matters)."""
    return sorted(values or [], key=nulls_last)



def shaped(rows: Rows, columns: tuple[str, ...]) -> Rows:
    """Plain rows with exactly `columns`, in that order (whatever order a backend returned)."""
    return [{c: row.get(c) for c in columns} for row in plain(rows)]


def by(*keys: str) -> Callable[[Mapping[str, Any]], tuple]:
    """Sort key over some columns of a row, None last in each."""
    return lambda row: tuple(nulls_last(row[k]) for k in keys)
