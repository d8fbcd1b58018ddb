"""The ingest run on both stores: unchanged documents skipped, changed ones replaced, `forget`
removing only what a document alone contributed, curated facts, parallel = sequential."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rekg.graph.ids import document_id
from rekg.graph.stores.networkx import NetworkxStore
from rekg.loaders.extraction.clean import clean_text
from rekg.loaders.extraction.pipeline import Settings
from rekg.loaders.ingest import forget, ingest
from rekg.loaders.sources.inputs import read_path

from rekg.cli import cli

from .conftest import DEV_CORPUS, ROOT, need_dev_corpus

LYNAS = "organization/lynas-rare-earths"
MOUNT_WELD = "place/mount-weld"
MP = "organization/mp-materials"
MOUNTAIN_PASS = "place/mountain-pass"

A = ("Lynas Rare Earths operates the Mount Weld mine in Western Australia.\n"
     "MP Materials operates the Mountain Pass mine in California.\n")
A2 = "Lynas Rare Earths operates the Mount Weld mine in Western Australia.\n"
B = "Lynas Rare Earths operates the Mount Weld mine, the company said on Monday.\n"
SETTINGS = Settings(model="none")


def relation(store, head: str, type_: str, tail: str):
    sub = store.subgraph([head, tail])
    return next((r for r in sub.relations if r.key == (head, type_, tail)), None)


def consistent(store) -> None:
    """Every mention and every relation source is a stored document; nothing half written."""
    docs = store.documents()
    sub = store.subgraph()
    assert {m.document for m in sub.mentions} <= set(docs)
    for r in sub.relations:
        assert r.sources and set(r.sources) <= set(docs), r
        assert r.count == len(r.sources)
    mentioned = {m.entity for m in sub.mentions}
    assert {e.id for e in sub.entities} <= mentioned | {x for r in sub.relations for x in (r.head, r.tail)}


def test_unchanged_skipped_changed_replaced(store, extractor, tmp_path: Path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(A)
    b.write_text(B)
    first = ingest([tmp_path], store, extractor)
    assert (first.loaded, first.skipped, first.replaced, first.failed) == (2, 0, 0, [])
    assert relation(store, MP, "OPERATES", MOUNTAIN_PASS) is not None
    shared = relation(store, LYNAS, "OPERATES", MOUNT_WELD)
    assert shared is not None and shared.count == 2

    again = ingest([tmp_path], store, extractor)
    assert (again.loaded, again.skipped, again.replaced) == (0, 2, 0)
    assert again.written.entities == again.written.relations == 0

    a.write_text(A2)  # MP Materials and Mountain Pass are no longer in a.txt
    changed = ingest([tmp_path], store, extractor)
    assert (changed.loaded, changed.skipped, changed.replaced, changed.failed) == (0, 1, 1, [])
    docs = store.documents()
    assert sorted(d.source for d in docs.values()) == [str(a), str(b)]
    assert document_id(clean_text(A2)) in docs and document_id(clean_text(A)) not in docs
    assert relation(store, MP, "OPERATES", MOUNTAIN_PASS) is None
    assert MP not in {e.id for e in store.subgraph().entities}
    shared = relation(store, LYNAS, "OPERATES", MOUNT_WELD)
    assert shared.count == 2 and set(shared.sources) == set(docs)
    assert changed.removed.relations >= 1 and changed.removed.entities >= 2
    consistent(store)


def test_forget_removes_only_what_the_document_alone_contributed(store, extractor, tmp_path: Path):
    (tmp_path / "a.txt").write_text(A)
    (tmp_path / "b.txt").write_text(B)
    ingest([tmp_path], store, extractor)
    before_b = {d.id for d in store.documents().values() if d.source.endswith("b.txt")}
    report = forget([str(tmp_path / "a.txt"), "nothing-like-this"], store)
    assert report.not_found == ["nothing-like-this"] and len(report.documents) == 1
    assert set(store.documents()) == before_b
    assert relation(store, MP, "OPERATES", MOUNTAIN_PASS) is None
    shared = relation(store, LYNAS, "OPERATES", MOUNT_WELD)
    assert shared.sources == sorted(before_b) and shared.count == 1
    assert all(s == next(iter(before_b)) for s in shared.evidence_sources)
    consistent(store)
    # by document id, and by folder
    ingest([tmp_path], store, extractor)
    doc_b = next(iter(before_b))
    assert forget([doc_b], store).documents == [doc_b]
    assert len(forget([str(tmp_path)], store).documents) == 1
    assert store.documents() == {} and store.subgraph().entities == []


def test_curated_facts_load_replace_and_forget(store, extractor, tmp_path: Path):
    facts = tmp_path / "facts.csv"
    shutil.copy(ROOT / "examples" / "facts.csv", facts)
    report = ingest([facts], store, extractor)
    assert (report.loaded, report.failed) == (1, [])
    rel = relation(store, MP, "OPERATES", MOUNTAIN_PASS)
    assert rel.rules == ["curated"] and "wikimili.com/en/MP_Materials" in rel.evidence[0]
    litinsky = relation(store, "person/james-litinsky", "HOLDS_POSITION", MP)
    assert litinsky.title == "CEO" and litinsky.first_seen == "2021-12"
    # drop the Mountain Pass row: its relation goes, the rest stays
    facts.write_text("".join(ln for ln in facts.read_text().splitlines(keepends=True) if "Mountain Pass" not in ln))
    again = ingest([facts], store, extractor)
    assert (again.replaced, again.loaded) == (1, 0)
    assert relation(store, MP, "OPERATES", MOUNTAIN_PASS) is None
    assert relation(store, "person/james-litinsky", "HOLDS_POSITION", MP) is not None
    consistent(store)


def test_curated_fact_and_text_merge_into_one_relation(store, extractor, tmp_path: Path):
    (tmp_path / "a.txt").write_text(A2)
    (tmp_path / "f.csv").write_text("head,head_type,relation,tail,tail_type,source,date\n"
                                    "Lynas,Organization,OPERATES,Mt Weld,Place,Lynas annual report,2023\n")
    ingest([tmp_path], store, extractor)
    rel = relation(store, LYNAS, "OPERATES", MOUNT_WELD)
    assert rel.count == 2 and "curated" in rel.rules and len(rel.rules) >= 2


def test_jsonl_changed_line_replaces_only_its_document(store, extractor, tmp_path: Path):
    f = tmp_path / "items.jsonl"
    lines = [{"text": A2, "url": "https://x.org/1"}, {"text": "MP Materials operates the Mountain Pass mine.",
                                                        "url": "https://x.org/2"}]
    f.write_text("\n".join(json.dumps(x) for x in lines))
    assert ingest([f], store, extractor).loaded == 2
    lines[1]["text"] = "MP Materials operates the Mountain Pass mine in California."
    f.write_text("\n".join(json.dumps(x) for x in lines))
    report = ingest([f], store, extractor)
    assert (report.skipped, report.replaced) == (1, 1)
    assert sorted(d.source for d in store.documents().values()) == ["https://x.org/1", "https://x.org/2"]
    assert len(forget([str(f)], store).documents) == 0  # sources are the URLs, not the file
    assert len(forget(["https://x.org/2"], store).documents) == 1


def test_an_older_version_left_by_an_interrupted_run_is_forgotten(store, extractor, tmp_path: Path):
    a = tmp_path / "a.txt"
    a.write_text(A)
    ingest([a], store, extractor)
    a.write_text(A2)
    # the new version written, the old one not yet forgotten (as if the run had stopped between)
    new_doc = extractor.extract(read_path(a)[0])
    from rekg.loaders.extraction.resolve import Resolver

    store.upsert(Resolver(extractor.gaz).to_batch(new_doc))
    assert len(store.documents()) == 2
    report = ingest([a], store, extractor)
    assert (report.skipped, report.loaded, report.replaced) == (1, 0, 0)
    assert list(store.documents()) == [new_doc.document.id]
    assert relation(store, MP, "OPERATES", MOUNTAIN_PASS) is None
    consistent(store)


def test_failed_extraction_keeps_the_older_version(store, extractor, tmp_path: Path, monkeypatch):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(A)
    b.write_text(B)
    ingest([tmp_path], store, extractor)
    old = set(store.documents())
    a.write_text(A2)
    b.write_text(B + "More.\n")
    real = extractor.extract

    def broken(src):
        if src.source.endswith("a.txt"):
            raise RuntimeError("a rule tripped")
        return real(src)

    monkeypatch.setattr(extractor, "extract", broken)
    report = ingest([tmp_path], store, extractor)
    assert report.failed == [f"{a}: extraction failed (RuntimeError: a rule tripped)"]
    assert report.replaced == 1  # b.txt
    docs = store.documents()
    assert [d.source for d in docs.values() if d.id in old] == [str(a)]
    assert relation(store, MP, "OPERATES", MOUNTAIN_PASS) is not None
    consistent(store)


def test_parallel_extraction_writes_the_same_graph(tmp_path: Path, extractor):
    need_dev_corpus()
    files = sorted(DEV_CORPUS.glob("dev0*.txt"))
    one, two = NetworkxStore(tmp_path / "one.json"), NetworkxStore(tmp_path / "two.json")
    r1 = ingest(files, one, extractor, settings=SETTINGS, workers=1)
    seen = []
    r2 = ingest(files, two, extractor, settings=SETTINGS, workers=2, progress=seen.append)
    assert r1.loaded == r2.loaded == len(files) and not r1.failed and not r2.failed
    assert r1.written == r2.written
    strip = lambda docs: [(d.id, d.source, d.title) for d in docs]  # noqa: E731  (loadedAt differs)
    s1, s2 = one.subgraph(), two.subgraph()
    assert (s1.entities, s1.relations, s1.mentions) == (s2.entities, s2.relations, s2.mentions)
    assert strip(s1.documents) == strip(s2.documents)
    # written in document order
    assert [d["source"] for d in json.loads((tmp_path / "two.json").read_text())["documents"]] \
        == [d["source"] for d in json.loads((tmp_path / "one.json").read_text())["documents"]]
    assert seen[-1].inputs_done == seen[-1].inputs_total == len(files) and seen[-1].documents == len(files)
    again = ingest(files, two, extractor, settings=SETTINGS, workers=2)
    assert (again.loaded, again.skipped) == (0, len(files))


def test_ledger_ids_are_the_extractor_ids(extractor):
    need_dev_corpus()
    for f in sorted(DEV_CORPUS.glob("dev1*.txt"))[:5]:
        (src,) = read_path(f)
        assert extractor.extract(src).document.id == document_id(clean_text(src.text)), f


def test_empty_document_is_a_warning_not_a_node(store, extractor, tmp_path: Path):
    (tmp_path / "blank.md").write_text("---\ntitle: x\n---\n   \n")
    report = ingest([tmp_path], store, extractor)
    assert report.loaded == 0 and report.warnings == [f"{tmp_path / 'blank.md'}: empty document, nothing to load"]
    assert store.documents() == {}


# -- through the CLI ------------------------------------------------------------------------
def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_cli_summary_json_keys_and_stdin(store_path: Path, tmp_path: Path):
    (tmp_path / "a.txt").write_text(A)
    result = run("--store", str(store_path), "ingest", str(tmp_path), "-", "--format", "json",
                 input=b"MP Materials operates the Mountain Pass mine.\n")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) >= {"loaded", "skipped_unchanged", "replaced", "failed", "failures", "warnings",
                            "new_entities", "new_relations"}
    assert summary["loaded"] == 2 and summary["new_relations"] >= 2
    sources = sorted(d.source for d in NetworkxStore(store_path).documents().values())
    assert sources == sorted(["<stdin>", str(tmp_path / "a.txt")])
    # standard input never replaces: another text from stdin is one more document
    result = run("--store", str(store_path), "ingest", "-", "--format", "json", input=b"Lynas Rare Earths said.")
    assert json.loads(result.stdout)["loaded"] == 1 and len(NetworkxStore(store_path).documents()) == 3


def test_cli_text_summary_and_forget(store_path: Path, tmp_path: Path):
    a = tmp_path / "a.txt"
    a.write_text(A)
    result = run("--store", str(store_path), "ingest", str(a), "--workers", "2")
    assert result.exit_code == 0
    assert result.stdout.startswith("1 loaded, 0 unchanged, 0 replaced, 0 failed;")
    a.write_text(A2)
    result = run("--store", str(store_path), "ingest", str(a))
    assert result.stdout.startswith("0 loaded, 0 unchanged, 1 replaced, 0 failed;")
    assert "went with replaced versions" in result.stdout
    result = run("--store", str(store_path), "forget", str(a), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["forgotten"] == 1
    result = run("--store", str(store_path), "forget", str(a))
    assert result.exit_code == 1
    assert f"failed: {a}: no loaded document has this source or id" in result.stderr


def test_cli_rejects_zero_workers(store_path: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["--store", str(store_path), "ingest", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 2


def test_progress_text():
    from rekg.loaders.ingest import Progress

    from rekg.cli import show_progress

    assert show_progress(Progress(1, 4, 30, 10.0)) == "30 docs, 3.0 docs/s"
    assert show_progress(Progress(0, 4, 0, 0.0)) == "0 docs, 0.0 docs/s"
    assert show_progress(None) == ""


@pytest.mark.parametrize("workers", [1, 2])
def test_stdin_feed_through_ingest(store, extractor, workers):
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
           b"<item><title>Lynas</title><link>https://w.org/1</link><description>Lynas Rare Earths operates the "
           b"Mount Weld mine.</description></item></channel></rss>")
    report = ingest(["-"], store, extractor, settings=SETTINGS, workers=workers, stdin=io.BytesIO(rss))
    assert report.loaded == 1
    (doc,) = store.documents().values()
    assert (doc.source, doc.publisher) == ("https://w.org/1", "Wire")
