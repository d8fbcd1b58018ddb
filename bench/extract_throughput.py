"""Extraction throughput: words per second, end to end (text in, resolved entities and
relations out), rule-only and with a statistical pipeline, beside spaCy's blank English
tokenizer alone on the same text in the same run.

    python bench/extract_throughput.py [--mb 5] [--model en_core_web_sm] [--stat-mb 0.5]

Rates are per core: CPU time of this process (time.process_time), so that other work on the
machine does not skew them. The tokenizer and the extractor take turns, one pass each per
round, so that both see the machine in the same state (on a shared virtual machine the speed
of a core drifts by 10-20% from minute to minute); rates and the ratio are medians over the
rounds, after a warm-up round. Prints one line per measurement and the ratios. The corpus is
the dev corpus (or the sample corpus when ../shared is absent), cycled until it holds the
requested size.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import spacy
from rekg.loaders.extraction.extract import Extractor
from rekg.loaders.extraction.gazetteer import load_gazetteer
from rekg.loaders.extraction.pipeline import Settings, build_pipeline
from rekg.loaders.extraction.resolve import Resolver
from rekg.loaders.sources.inputs import SourceDocument

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


def tokenizer_pass(nlp, texts: list[str]) -> float:
    """CPU seconds of one pass of the blank tokenizer over `texts`."""
    start = time.process_time()
    for _doc in nlp.tokenizer.pipe(texts, batch_size=64):
        pass
    return time.process_time() - start


def extractor(model: str) -> tuple[Extractor, Resolver]:
    """A fresh extractor and resolver (`measure` warms them up)."""
    extractor = Extractor(build_pipeline(Settings(model=model)), load_gazetteer())
    return extractor, Resolver(extractor.gaz)


def extraction_pass(parts: tuple[Extractor, Resolver], texts: list[str]) -> float:
    """CPU seconds of extraction and resolution over `texts`."""
    extractor, resolver = parts
    start = time.process_time()
    for i, text in enumerate(texts):
        resolver.to_batch(extractor.extract(SourceDocument(text=text, source=f"doc{i}.txt")))
    return time.process_time() - start


def measure(texts: list[str], model: str, rounds: int) -> tuple[float, float, float]:
    """Median CPU seconds of the tokenizer and of extraction over `texts`, and the median of
    their ratio, over `rounds` rounds of one pass each, taken in turn (so that both see the
    machine in the same state), after one warm-up round."""
    blank = spacy.blank("en")
    parts = extractor(model)
    tok, ext, ratio = [], [], []
    for r in range(rounds + 1):
        t, e = tokenizer_pass(blank, texts), extraction_pass(parts, texts)
        if r:
            tok.append(t)
            ext.append(e)
            ratio.append(t / e)
    return statistics.median(tok), statistics.median(ext), statistics.median(ratio)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="megabytes of text for the rule-only run")
    ap.add_argument("--model", default="en_core_web_sm", help="statistical pipeline to compare")
    ap.add_argument("--stat-mb", type=float, default=0.5, help="megabytes for the statistical run")
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds (tokenizer pass, extraction pass)")
    args = ap.parse_args()

    texts = corpus(args.mb)
    n = words(texts)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"corpus: {len(texts)} documents, {n:,} words, {mb:.1f} MB; {args.rounds} rounds after a warm-up")
    t_tok, t_rules, ratio = measure(texts, "none", args.rounds)
    print(f"blank tokenizer          {n / t_tok:12,.0f} words/s")
    print(f"rule-only extraction     {n / t_rules:12,.0f} words/s  "
          f"({100 * ratio:.1f}% of the tokenizer's rate: median of the rounds' ratios)")
    if spacy.util.is_package(args.model):
        small = corpus(args.stat_mb)
        m = words(small)
        t_tok_small, t_stat, ratio = measure(small, args.model, 1)
        print(f"with {args.model:18s} {m / t_stat:12,.0f} words/s  "
              f"({100 * ratio:.1f}% of the tokenizer's rate, on {m:,} words)")
    else:
        print(f"with {args.model}: not installed, skipped")


if __name__ == "__main__":
    main()
