"""Ingest throughput with 1 and 2 (or more) extraction workers, on a generated corpus.

    .venv/bin/python bench/ingest_parallel.py [--docs 600] [--workers 1,2] [--corpus DIR] [--model none]

Builds a corpus of --docs documents by cycling the dev corpus (../shared/corpus/dev/*.txt),
each copy with a small edit (a dateline naming its number) so every document has its own
hash, then runs `rekg.loaders.ingest.ingest` into a fresh embedded store once per worker count.
The pipeline is built before the clock starts (as `rekg ingest` does before reading), so
the figures are extraction + resolution + writes. Prints documents per second for each run,
the CPU seconds spent in this process (reading, hashing, resolution, writes: the serial part)
and in the workers, and the load average, since on a busy machine more workers cannot help;
then checks that every run wrote the same graph.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rekg.graph.stores.networkx import NetworkxStore  # noqa: E402
from rekg.loaders.extraction.pipeline import Settings  # noqa: E402
from rekg.loaders.ingest import ingest, make_extractor  # noqa: E402

CITIES = ("Baotou", "Perth", "Kuantan", "Houston", "Tallinn", "Tokyo", "Brussels", "Hanoi")


def make_corpus(source: Path, out: Path, count: int) -> list[Path]:
    """`count` files cycling the texts under `source`, each with its own first line."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(source.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt files under {source}")
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        f = out / f"doc{i:05d}.txt"
        f.write_text(f"{CITIES[i % len(CITIES)]}, dispatch {i}.\n\n{texts[i % len(texts)]}", encoding="utf-8")
        files.append(f)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--model", default="none", help="spaCy pipeline ('none': rules only)")
    args = parser.parse_args()
    settings = Settings(model=args.model)
    counts = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="rekg-bench-") as tmp:
        files = make_corpus(args.corpus, Path(tmp) / "corpus", args.docs)
        chars = sum(f.stat().st_size for f in files)
        print(f"corpus: {len(files)} documents, {chars / len(files):.0f} bytes each on average; "
              f"{os.cpu_count()} CPUs; model={args.model}")
        t = time.perf_counter()
        extractor = make_extractor(settings)
        print(f"pipeline built in {time.perf_counter() - t:.1f} s (not counted below)")
        graphs = []
        base = None
        for workers in counts:
            store = NetworkxStore(Path(tmp) / f"graph-{workers}.json")
            load = os.getloadavg()[0]
            before = os.times()
            t = time.perf_counter()
            report = ingest(files, store, extractor, workers=workers, settings=settings)
            seconds = time.perf_counter() - t
            after = os.times()
            parent = after.user + after.system - before.user - before.system
            children = after.children_user + after.children_system - before.children_user - before.children_system
            rate = report.loaded / seconds
            base = base or rate
            print(f"workers={workers}: {report.loaded} documents in {seconds:.1f} s = {rate:.1f} docs/s "
                  f"(x{rate / base:.2f}); CPU: {parent:.1f} s main process, {children:.1f} s workers; "
                  f"load average {load:.1f}; {report.written.entities} entities, "
                  f"{report.written.relations} relations, {len(report.failed)} failed")
            sub = store.subgraph()
            graphs.append((sub.entities, sub.relations, sub.mentions))
        same = all(g == graphs[0] for g in graphs)
        print("same graph from every run:", "yes" if same else "NO")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
