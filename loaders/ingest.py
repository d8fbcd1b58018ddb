"""The ingest run: paths -> documents -> extraction -> resolution -> one store, in batches.

A file that cannot be read is reported (one line naming it and the reason) and skipped; the
rest still loads. Each batch is one write, so no document is ever half in the graph.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import InputError
from graph.model import GraphBatch, WriteSummary
from graph.store import Store

from .extract import Extraction, Extractor
from .gazetteer import load_gazetteer
from .pipeline import Settings, get_pipeline
from .resolve import Resolver
from .sources import SourceDocument, iter_paths, read_path

BATCH_DOCUMENTS = 200


@dataclass
class IngestReport:
    """What an ingest run did."""

    loaded: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: WriteSummary = field(default_factory=WriteSummary)

    def as_dict(self) -> dict:
        return {"loaded": self.loaded, "skipped_unchanged": self.skipped,
                "failed": len(self.failed), "failures": self.failed, "warnings": self.warnings,
                "new_entities": self.written.entities, "new_relations": self.written.relations}


def make_extractor(settings: Settings = Settings()) -> Extractor:
    """The extractor for `settings` (pipeline and gazetteer built once per process)."""
    return Extractor(get_pipeline(settings), load_gazetteer(settings.gazetteer, settings.places))


def read_sources(paths: Iterable[str | Path], failures: list[str]) -> Iterable[SourceDocument]:
    """Every readable document under `paths`; unreadable ones are added to `failures`."""
    try:
        files = list(iter_paths(paths))
    except InputError as exc:
        failures.append(str(exc))
        files = []
        for p in paths:  # keep the paths that do exist
            try:
                files.extend(iter_paths([p]))
            except InputError:
                pass
    for path in files:
        try:
            yield from read_path(path)
        except InputError as exc:
            failures.append(str(exc))


def ingest(paths: Iterable[str | Path], store: Store, extractor: Extractor | None = None,
           progress: Callable[[int], None] | None = None) -> IngestReport:
    """Load documents under `paths` into `store`; documents already there are skipped."""
    extractor = extractor or make_extractor()
    resolver = Resolver(extractor.gaz)
    report = IngestReport()
    known = set(store.documents())
    batch = GraphBatch()
    pending = 0
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    for src in read_sources(list(paths), report.failed):
        extraction: Extraction = extractor.extract(src)
        report.warnings.extend(extraction.warnings)
        if progress:
            progress(1)
        if extraction.document.id in known:
            report.skipped += 1
            continue
        known.add(extraction.document.id)
        extraction.document.loaded_at = now
        batch.extend(resolver.to_batch(extraction))
        pending += 1
        report.loaded += 1
        if pending >= BATCH_DOCUMENTS:
            report.written = report.written + store.upsert(batch)
            batch, pending = GraphBatch(), 0
    if pending:
        report.written = report.written + store.upsert(batch)
    return report
