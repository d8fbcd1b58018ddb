"""The ingest run: inputs -> documents -> extraction -> resolution -> one store, in batches.

- An input that cannot be read is reported (one line naming it and the reason) and skipped;
  a bad part of an input (a JSONL line, a CSV row, a PDF page) likewise; the rest still loads.
- Incremental: the store's documents are the ledger (`rekg.loaders.sources.ledger`). An unchanged document
  is skipped before extraction; a changed one replaces its older version, which is forgotten
  (with what it alone contributed) right before the new one is written.
- Parallel: with `workers > 1`, extraction runs in that many processes, each building its
  extractor once (`make_extractor`); resolution and every write stay in this process, in
  document order.
- Each write is one batch of whole documents, so no document is ever half in the graph.
"""
from __future__ import annotations

import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from rekg.graph.errors import InputError
from rekg.graph.ids import document_id
from rekg.graph.model import GraphBatch, WriteSummary
from rekg.graph.store import Store

from .extraction.clean import clean_text
from .extraction.extract import Extraction, Extractor
from .extraction.gazetteer import load_gazetteer
from .extraction.pipeline import Settings, get_pipeline
from .extraction.resolve import KNOWN_ENTITIES, Resolver
from .sources.formats.facts import CuratedFacts, facts_batch, facts_document
from .sources.inputs import Input, Problem, SourceDocument, collect_inputs, read_input
from .sources.ledger import NEW, REPLACE, UNCHANGED, Decision, Ledger, find_documents

BATCH_DOCUMENTS = 200
#: Documents handed to the worker processes ahead of the one being written: enough to keep
#: them busy while this process writes a batch.
AHEAD_DOCUMENTS = 2 * BATCH_DOCUMENTS


@dataclass
class IngestReport:
    """What an ingest run did."""

    loaded: int = 0
    skipped: int = 0
    replaced: int = 0
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: WriteSummary = field(default_factory=WriteSummary)
    removed: WriteSummary = field(default_factory=WriteSummary)  # older versions forgotten
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"loaded": self.loaded, "skipped_unchanged": self.skipped, "replaced": self.replaced,
                "failed": len(self.failed), "failures": self.failed, "warnings": self.warnings,
                "new_entities": self.written.entities, "new_relations": self.written.relations,
                "removed_entities": self.removed.entities, "removed_relations": self.removed.relations,
                "seconds": round(self.seconds, 2)}


@dataclass
class Progress:
    """Where a run is: inputs (files, URLs) done of all, documents handled, time spent."""

    inputs_done: int
    inputs_total: int
    documents: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Documents per second so far."""
        return self.documents / self.elapsed if self.elapsed > 0 else 0.0


def make_extractor(settings: Settings = Settings()) -> Extractor:
    """The extractor for `settings` (pipeline and gazetteer built once per process)."""
    return Extractor(get_pipeline(settings), load_gazetteer(settings.gazetteer, settings.places))


def read_sources(paths: Iterable[str | Path], failures: list[str], *, include: Sequence[str] = (),
                 exclude: Sequence[str] = (), stdin: BinaryIO | None = None) -> Iterator[SourceDocument]:
    """Every readable document under `paths`; what cannot be read is added to `failures`.

    Curated facts files are not documents to extract: each is reported in `failures` with a
    pointer to `rekg ingest`.
    """
    inputs, problems = collect_inputs(list(paths), include, exclude)
    failures.extend(problems)
    for _, item in _read_all(inputs, failures, stdin):
        if isinstance(item, CuratedFacts):
            failures.append(f"{item.source}: curated facts, not a document; load it with `rekg ingest`")
        else:
            yield item


def _read_all(inputs: Sequence[Input], failures: list[str],
              stdin: BinaryIO | None = None) -> Iterator[tuple[int, SourceDocument | CuratedFacts]]:
    for index, item in enumerate(inputs):
        try:
            parts = read_input(item, stdin)
        except InputError as exc:
            failures.append(str(exc))
            continue
        for part in parts:
            if isinstance(part, Problem):
                failures.append(part.message)
            else:
                yield index, part


@dataclass
class _Job:
    """One document of the run: what the ledger decided and what it takes to write it."""

    index: int  # of its input
    item: SourceDocument | CuratedFacts | None
    doc_id: str
    decision: Decision
    source: str


# -- extraction in worker processes ---------------------------------------------------------
_WORKER_EXTRACTOR: Extractor | None = None


def _init_worker(settings: Settings) -> None:
    """Build this worker's extractor once (a forked worker finds the parent's pipeline cached)."""
    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = make_extractor(settings)


def _extract_in_worker(src: SourceDocument) -> Extraction:
    assert _WORKER_EXTRACTOR is not None, "the worker initializer did not run"
    return _WORKER_EXTRACTOR.extract(src)


def _pool(workers: int, settings: Settings) -> ProcessPoolExecutor:
    """Fork when this process has one thread (workers inherit the built pipeline); else spawn."""
    methods = multiprocessing.get_all_start_methods()
    method = "fork" if "fork" in methods and threading.active_count() == 1 else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker, initargs=(settings,))


# -- the run --------------------------------------------------------------------------------
class _Run:
    def __init__(self, store: Store, extractor: Extractor, report: IngestReport,
                 progress: Callable[[Progress], None] | None, total: int) -> None:
        self.store = store
        self.extractor = extractor
        self.resolver = Resolver(extractor.gaz, store.run(KNOWN_ENTITIES, {}))  # actors already in the graph
        self.report = report
        self.progress = progress
        self.total = total
        self.started = time.monotonic()
        self.now = datetime.now(UTC).replace(microsecond=0).isoformat()
        self.ledger = Ledger(store.documents())
        self.batch = GraphBatch()
        self.pending = 0
        self.forget: list[str] = []
        self.handled = 0
        self.inputs_done = 0

    def plan(self, items: Iterable[tuple[int, SourceDocument | CuratedFacts]]) -> Iterator[_Job]:
        """The ledger's decision for each document, in order."""
        for index, item in items:
            if isinstance(item, CuratedFacts):
                doc_id, source = facts_document(item).id, item.source
            else:
                text = clean_text(item.text)
                if not text:
                    self.report.warnings.append(f"{item.source}: empty document, nothing to load")
                    yield _Job(index, None, "", Decision(UNCHANGED), item.source)
                    continue
                doc_id, source = document_id(text), item.source
            decision = self.ledger.decide(source, doc_id)
            if decision.action == UNCHANGED:
                self.report.skipped += 1
                self.forget.extend(decision.stale)  # older copies left by an interrupted run
                item = None
            yield _Job(index, item, doc_id, decision, source)

    def finish(self, job: _Job, extraction: Extraction | BaseException | None) -> None:
        """Add a decided document's contribution to the batch (or report why it failed)."""
        if isinstance(extraction, BaseException):
            self.ledger.undo(job.source, job.doc_id, job.decision)
            self.report.failed.append(f"{job.source}: extraction failed "
                                      f"({type(extraction).__name__}: {extraction})")
        elif isinstance(job.item, CuratedFacts):
            self._add(job, facts_batch(job.item, self.extractor.gaz, self.now))
        elif extraction is not None:
            self.report.warnings.extend(extraction.warnings)
            extraction.document.loaded_at = self.now
            self._add(job, self.resolver.to_batch(extraction))
        self.handled += 1
        self.inputs_done = max(self.inputs_done, job.index)
        self._tick()

    def _add(self, job: _Job, contribution: GraphBatch) -> None:
        self.batch.extend(contribution)
        self.forget.extend(job.decision.stale)
        if job.decision.action == REPLACE:
            self.report.replaced += 1
        elif job.decision.action == NEW:
            self.report.loaded += 1
        self.pending += 1
        if self.pending >= BATCH_DOCUMENTS:
            self.flush()

    def flush(self) -> None:
        """Forget replaced versions, then write the batch: two writes, each all or nothing."""
        if self.forget:
            self.report.removed = self.report.removed + self.store.forget(sorted(set(self.forget)))
            self.forget = []
        if self.pending:
            self.report.written = self.report.written + self.store.upsert(self.batch)
        self.batch, self.pending = GraphBatch(), 0

    def _tick(self, done: int | None = None) -> None:
        if self.progress:
            self.progress(Progress(self.inputs_done if done is None else done, self.total, self.handled,
                                   time.monotonic() - self.started))


def ingest(paths: Iterable[str | Path], store: Store, extractor: Extractor | None = None,
           progress: Callable[[Progress], None] | None = None, *, workers: int = 1,
           settings: Settings | None = None, include: Sequence[str] = (), exclude: Sequence[str] = (),
           stdin: BinaryIO | None = None) -> IngestReport:
    """Load the documents under `paths` (files, folders, `-`, URLs) into `store`.

    Unchanged documents are skipped, changed ones replace their older version. With
    `workers > 1` extraction runs in that many processes, whose extractors are built from
    `settings` (default: `Settings()`), as `extractor` should be.
    """
    settings = settings or Settings()
    extractor = extractor or make_extractor(settings)
    report = IngestReport()
    inputs, problems = collect_inputs(list(paths), include, exclude)
    report.failed.extend(problems)
    run = _Run(store, extractor, report, progress, len(inputs))
    jobs = run.plan(_read_all(inputs, report.failed, stdin))
    if workers <= 1:
        for job in jobs:
            if isinstance(job.item, SourceDocument):
                run.finish(job, _extract_here(extractor, job.item))
            else:
                run.finish(job, None)
    else:
        with _pool(workers, settings) as pool:
            ahead: deque[tuple[_Job, Future[Extraction] | None]] = deque()
            for job in jobs:
                future = pool.submit(_extract_in_worker, job.item) if isinstance(job.item, SourceDocument) else None
                ahead.append((job, future))
                while len(ahead) > max(AHEAD_DOCUMENTS, 16 * workers):
                    run.finish(*_result(*ahead.popleft()))
            while ahead:
                run.finish(*_result(*ahead.popleft()))
    run.flush()
    run._tick(len(inputs))
    report.seconds = time.monotonic() - run.started
    return report


def _extract_here(extractor: Extractor, src: SourceDocument) -> Extraction | BaseException:
    try:
        return extractor.extract(src)
    except Exception as exc:  # a rule failing on one document must not stop the run; the line names it
        return exc


def _result(job: _Job, future: Future[Extraction] | None) -> tuple[_Job, Extraction | BaseException | None]:
    if future is None:
        return job, None
    exc = future.exception()
    return job, exc if exc is not None else future.result()


@dataclass
class ForgetReport:
    """What `forget` removed, and the targets that named no loaded document."""

    documents: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    removed: WriteSummary = field(default_factory=WriteSummary)

    def as_dict(self) -> dict[str, Any]:
        return {"forgotten": len(self.documents), "documents": self.documents, "not_found": self.not_found,
                "removed_entities": self.removed.entities, "removed_relations": self.removed.relations}


def forget(targets: Iterable[str], store: Store) -> ForgetReport:
    """Remove the documents `targets` name (document id, source path or URL, a folder or file
    they came from) and what they alone contributed."""
    documents = store.documents()
    report = ForgetReport()
    ids: list[str] = []
    for target in targets:
        found = find_documents(documents, target)
        if not found:
            report.not_found.append(target)
        ids.extend(i for i in found if i not in ids)
    if ids:
        report.removed = store.forget(ids)
        report.documents = ids
    return report
