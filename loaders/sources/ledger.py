"""The ledger of loaded documents, by content hash (the document id) and by source.

The store's documents are the ledger: nothing is kept beside the graph, so both stores behave
the same and a graph copied elsewhere carries its own ledger. An unchanged document (same
source, same hash) is skipped; a changed one (same source, new hash) replaces its older
versions, which the ingest run forgets before writing the new one.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from rekg.graph.model import Document

from .inputs import STDIN, is_url

UNCHANGED, NEW, REPLACE = "unchanged", "new", "replace"


def replaceable(source: str) -> bool:
    """Whether a newer text under `source` replaces the older one (standard input never does).

    >>> replaceable("/news/a.txt"), replaceable("<stdin>"), replaceable("<stdin>:3")
    (True, False, False)
    """
    return not source.startswith(STDIN)


@dataclass
class Decision:
    """What to do with one document, and the older versions of its source to forget."""

    action: str
    stale: list[str] = field(default_factory=list)


class Ledger:
    """Decides, document by document, whether a run loads, skips or replaces it.

    >>> stored = {"doc-1": Document("doc-1", "A", "/a.txt")}
    >>> Ledger(stored).decide("/a.txt", "doc-1")
    Decision(action='unchanged', stale=[])
    >>> ledger = Ledger(stored)
    >>> ledger.decide("/a.txt", "doc-2"), ledger.decide("/c.txt", "doc-3")
    (Decision(action='replace', stale=['doc-1']), Decision(action='new', stale=[]))
    >>> ledger.decide("/b.txt", "doc-2")  # the same text again, under another name
    Decision(action='unchanged', stale=[])

    Two documents of one source in the same run (a feed listing a link twice) are both kept.
    """

    def __init__(self, documents: Mapping[str, Document]) -> None:
        self.ids: set[str] = set(documents)
        self.by_source: dict[str, set[str]] = {}
        for doc in documents.values():
            self.by_source.setdefault(doc.source, set()).add(doc.id)
        #: ids this run has loaded or kept: never forgotten as another source's older version
        self.claimed: set[str] = set()

    def decide(self, source: str, doc_id: str) -> Decision:
        stale: list[str] = []
        if replaceable(source):
            stale = sorted(self.by_source.get(source, set()) - {doc_id} - self.claimed)
        self.claimed.add(doc_id)
        self.ids.difference_update(stale)
        if doc_id in self.ids:
            if stale:
                self.by_source[source] = self.by_source[source] - set(stale)
            return Decision(UNCHANGED, stale)
        self.ids.add(doc_id)
        self.by_source[source] = (self.by_source.get(source, set()) - set(stale)) | {doc_id}
        return Decision(REPLACE if stale else NEW, stale)

    def undo(self, source: str, doc_id: str, decision: Decision) -> None:
        """Forget a decision whose document then failed to load: its older versions stay."""
        self.claimed.discard(doc_id)
        self.ids.discard(doc_id)
        self.ids.update(decision.stale)
        kept = self.by_source.get(source, set()) - {doc_id}
        self.by_source[source] = kept | set(decision.stale)


def find_documents(documents: Mapping[str, Document], target: str) -> list[str]:
    """Ids of the loaded documents `target` names: a document id, a source (path or URL), a
    folder (everything loaded from under it) or a file whose lines or items were loaded
    (`FILE:LINE`, `FILE#ITEM`).

    >>> docs = {"doc-1": Document("doc-1", "A", "/n/a.txt"), "doc-2": Document("doc-2", "B", "/n/b.jsonl:3"),
    ...         "doc-3": Document("doc-3", "C", "https://x.org/c")}
    >>> find_documents(docs, "doc-1"), find_documents(docs, "/n/b.jsonl"), find_documents(docs, "/n")
    (['doc-1'], ['doc-2'], ['doc-1', 'doc-2'])
    >>> find_documents(docs, "https://x.org/c"), find_documents(docs, "/elsewhere")
    (['doc-3'], [])
    """
    if target in documents:
        return [target]
    names = {target}
    if not is_url(target) and target != STDIN:
        names.add(os.path.abspath(target))
    prefixes: list[str] = []
    for n in names:
        prefixes += [f"{n}#"] if is_url(n) else [f"{n.rstrip(os.sep)}{os.sep}", f"{n}:", f"{n}#"]
    return sorted(d.id for d in documents.values() if d.source in names or d.source.startswith(tuple(prefixes)))

