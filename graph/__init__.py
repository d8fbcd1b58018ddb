"""The model and where it lives: entity and relation types, ids, the store protocol, the stores."""
from .errors import Ambiguous, InputError, NotFound, QueryError, RekgError, StoreError, StoreUnavailable
from .ids import document_id, entity_id, slugify
from .model import Counts, Document, Entity, GraphBatch, Mention, Relation, Subgraph, WriteSummary
from .schema import CO_MENTIONED, ENTITY_TYPES, MENTIONS, RELATION_TYPES
from .store import NamedQuery, Store, default_store_path

__all__ = [
    "Ambiguous", "InputError", "NotFound", "QueryError", "RekgError", "StoreError",
    "StoreUnavailable", "document_id", "entity_id", "slugify", "Counts", "Document", "Entity",
    "GraphBatch", "Mention", "Relation", "Subgraph", "WriteSummary", "CO_MENTIONED",
    "ENTITY_TYPES", "MENTIONS", "RELATION_TYPES", "NamedQuery", "Store", "default_store_path",
    "open_embedded",
]


def open_embedded(path: str | None = None) -> "Store":
    """Open the embedded store at `path` (default: `default_store_path()`)."""
    from .stores.networkx import NetworkxStore

    return NetworkxStore(path or default_store_path())
