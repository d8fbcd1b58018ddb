"""Extraction throughput: words per second, end to end (text in, resolved entities and
relations out), rule-only and with a statistical pipeline, beside spaCy's blank English
tokenizer alone on the same text in the same run.

    python bench/extract_throughput.py [--mb 5] [--model en_core_web_sm] [--stat-mb 0.5]

Rates are per core: CPU time of this process (time.process_time), so that other work on the
machine does not skew them; each is a median over repeated passes after a warm-up. Prints
one line per measurement and the ratios. The corpus is the dev corpus (or the sample corpus
when ../shared is absent), cycled until it holds the requested size.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import spacy

from loaders.extract import Extractor
from loaders.gazetteer import load_gazetteer
from loaders.pipeline import Settings, build_pipeline
from loaders.resolve import Resolver
from loaders.sources import SourceDocument

ROOT = Path(__file__).resolve().parent.parent


def corpus(megabytes: float) -> list[str]:
    """Documents cycled until their text reaches `megabytes`."""
    folder = ROOT.parent / "shared" / "corpus" / "dev"
    files = sorted(folder.glob("*.txt")) or sorted((ROOT / "examples" / "corpus").glob("*.md"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    out, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        text = texts[i % len(texts)] + f"\n\n(copy {i})"  # a distinct document each time
        out.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    return out


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def run_tokenizer(texts: list[str], repeats: int = 5) -> float:
    """CPU seconds of the blank tokenizer over `texts`: the median of `repeats` passes after
    one warm-up pass (a pass is short, so one alone is noisy)."""
    nlp = spacy.blank("en")
    times = []
    for _ in range(repeats + 1):
        start = time.process_time()
        for _doc in nlp.tokenizer.pipe(texts, batch_size=64):
            pass
        times.append(time.process_time() - start)
    return statistics.median(times[1:])


def run_extraction(texts: list[str], model: str, repeats: int = 1) -> float:
    """CPU seconds of extraction and resolution over `texts` (median of `repeats` passes, after
    a warm-up on the first documents)."""
    settings = Settings(model=model)
    extractor = Extractor(build_pipeline(settings), load_gazetteer())
    resolver = Resolver(extractor.gaz)
    for i, text in enumerate(texts[:50]):
        resolver.to_batch(extractor.extract(SourceDocument(text=text, source=f"warm{i}.txt")))
    times = []
    for _ in range(repeats):
        start = time.process_time()
        for i, text in enumerate(texts):
            extraction = extractor.extract(SourceDocument(text=text, source=f"doc{i}.txt"))
            resolver.to_batch(extraction)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="megabytes of text for the rule-only run")
    ap.add_argument("--model", default="en_core_web_sm", help="statistical pipeline to compare")
    ap.add_argument("--stat-mb", type=float, default=0.5, help="megabytes for the statistical run")
    args = ap.parse_args()

    texts = corpus(args.mb)
    n = words(texts)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"corpus: {len(texts)} documents, {n:,} words, {mb:.1f} MB")
    t_tok = run_tokenizer(texts)
    print(f"blank tokenizer          {n / t_tok:12,.0f} words/s")
    t_rules = run_extraction(texts, "none", repeats=3)
    print(f"rule-only extraction     {n / t_rules:12,.0f} words/s  "
          f"({100 * t_tok / t_rules:.1f}% of the tokenizer's rate)")
    if spacy.util.is_package(args.model):
        small = corpus(args.stat_mb)
        m = words(small)
        t_tok_small = run_tokenizer(small)
        t_stat = run_extraction(small, args.model)
        print(f"with {args.model:18s} {m / t_stat:12,.0f} words/s  "
              f"({100 * t_tok_small / t_stat:.1f}% of the tokenizer's rate, on {m:,} words)")
    else:
        print(f"with {args.model}: not installed, skipped")


if __name__ == "__main__":
    main()
