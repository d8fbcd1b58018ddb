#!/usr/bin/env python3
"""Extraction quality on the gold corpora: overall, per type, and on actors the gazetteer lacks.

Scores with `../shared/eval/score.py` (the project's scorer, read from the shared folder) and
prints, for each set asked for:

- dev        `../shared/corpus/dev` (fitted by earlier work: a regression check, not a measure)
- train      `loaders/extraction/data/annotated/train` (what rules, vocabularies and models learn from)
- test       `loaders/extraction/data/annotated/test` (the blind split: scored, never tuned on)
- cold       dev again, with every gazetteer entry whose name or alias occurs in a dev text
             removed first: how the extractor does on dev's actors when it has never heard of them

Usage: python tools/evaluate.py [--sets dev,test,cold] [--model none|NAME] [--json] [--errors SET]
(`make eval` runs the default: dev, test and cold, with the default pipeline.)
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ANNOTATED = Path(os.environ.get("REKG_ANNOTATED") or ROOT / "loaders" / "extraction" / "data" / "annotated")
GAZETTEER = ROOT / "loaders" / "extraction" / "data" / "gazetteer.jsonl"
SETS = {"dev": SHARED / "corpus" / "dev", "train": ANNOTATED / "train", "test": ANNOTATED / "test",
        "cold": SHARED / "corpus" / "dev"}


def load_scorer():
    """The shared scorer as a module (it lives outside the package, beside the gold corpora)."""
    path = SHARED / "eval" / "score.py"
    if not path.is_file():
        raise SystemExit(f"evaluate: {path} is missing (the shared folder must sit beside the checkout)")
    spec = importlib.util.spec_from_file_location("rekg_shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cold_gazetteer(texts: list[str], scorer, out: Path) -> int:
    """Write the gazetteer without the entries any of whose forms occurs in `texts`; how many were removed."""
    folded = [scorer.norm(t) for t in texts]
    kept, removed = [], 0
    for line in GAZETTEER.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        forms = scorer.forms({"name": entry["name"], "aliases": entry.get("aliases") or []})
        if any(f" {f} " in f" {t} " for f in forms for t in folded):
            removed += 1
            continue
        kept.append(line)
    # parents that were removed would dangle: the child keeps its place, without the link
    names = {json.loads(line)["name"] for line in kept}
    lines = []
    for line in kept:
        entry = json.loads(line)
        if entry.get("parent") and entry["parent"] not in names:
            entry["parent"] = None
        lines.append(json.dumps(entry, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return removed


def predict(folder: Path, model: str | None, gazetteer: Path | None, out: Path) -> None:
    """Run the extractor over every gold document's text in `folder`, as `rekg extract --format jsonl`."""
    from rekg.loaders.extraction.pipeline import Settings
    from rekg.loaders.ingest import make_extractor
    from rekg.loaders.sources.inputs import SourceDocument

    extractor = make_extractor(Settings(model=model, gazetteer=str(gazetteer) if gazetteer else None))
    with out.open("w", encoding="utf-8") as fh:
        for gold in sorted(folder.glob("*.gold.json")):
            txt = gold.with_name(gold.name[: -len(".gold.json")] + ".txt")
            text = txt.read_text(encoding="utf-8")
            title = text.split("\n", 1)[0]
            src = SourceDocument(text=text, source=str(txt), title=title)
            fh.write(json.dumps(extractor.extract(src).to_json(), ensure_ascii=False) + "\n")


def evaluate(name: str, model: str | None, scorer, errors: bool = False) -> dict:
    folder = SETS[name]
    if not any(folder.glob("*.gold.json")):
        raise SystemExit(f"evaluate: no gold documents in {folder}")
    with tempfile.TemporaryDirectory() as tmp:
        gaz = None
        removed = 0
        if name == "cold":
            gaz = Path(tmp) / "cold-gazetteer.jsonl"
            texts = [p.read_text(encoding="utf-8") for p in folder.glob("*.txt")]
            removed = cold_gazetteer(texts, scorer, gaz)
        pred = Path(tmp) / "pred.jsonl"
        predict(folder, model, gaz, pred)
        known = scorer.load_known(gaz or GAZETTEER)
        result = scorer.score(folder, pred, show_errors=errors, known=known)
    result["set"] = name
    result["documents"] = len(list(folder.glob("*.gold.json")))
    if name == "cold":
        result["gazetteer_entries_removed"] = removed
    return result


def report(res: dict) -> str:
    lines = [f"## {res['set']} ({res['documents']} documents"
             + (f", {res['gazetteer_entries_removed']} gazetteer entries removed" if "gazetteer_entries_removed" in res
                else "") + ")"]
    for k in ("entities", "pairs", "relations"):
        b = res[k]
        lines.append(f"{k:16s} P={b['precision']:.3f} R={b['recall']:.3f} F1={b['f1']:.3f}"
                     f"  (tp={b['tp']} fp={b['fp']} fn={b['fn']})")
    for kind in ("entities", "relations"):
        for t, b in res["by_type"][kind].items():
            lines.append(f"  {t:14s} P={b['precision']:.3f} R={b['recall']:.3f} F1={b['f1']:.3f}"
                         f"  (tp={b['tp']} fp={b['fp']} fn={b['fn']})")
    u = res["unseen"]
    labels = {"entities": "entity recall, names the gazetteer lacks",
              "entities_known": "entity recall, names it knows",
              "relations_unseen_end": "relation recall, an end unknown",
              "relations_known": "relation recall, both ends known"}
    for k, label in labels.items():
        lines.append(f"{label:42s} {u[k]['recall']:.3f} ({u[k]['found']}/{u[k]['gold']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="dev,test,cold", help="comma-separated: dev, train, test, cold")
    ap.add_argument("--model", default=None, help="spaCy pipeline for the extractor ('none': rules only)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--errors", action="store_true", help="list every false positive and miss (not for test: "
                                                          "reading its errors is tuning on it)")
    args = ap.parse_args(argv)
    scorer = load_scorer()
    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    for n in names:
        if n not in SETS:
            ap.error(f"unknown set {n!r} (dev, train, test, cold)")
    if not args.json and ANNOTATED.is_dir():
        from rekg.loaders.extraction.corpus import corpus_stats
        from rekg.loaders.extraction.gazetteer import read_gazetteer
        from rekg.loaders.extraction.names import normalize_name

        known = {normalize_name(f) for e in read_gazetteer(GAZETTEER) for f in e.forms()}
        print(corpus_stats(known, ANNOTATED), end="\n\n")
    results = [evaluate(n, args.model, scorer, errors=args.errors and n != "test") for n in names]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for res in results:
            print(report(res))
            for e in res.get("errors", []):
                print("   ", e)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
