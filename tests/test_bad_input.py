"""A corpus of bad files among good ones: each bad one gets one line naming it and the reason,
every good one still loads, the exit code says some failed, and the graph stays consistent."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from rekg.graph.stores.networkx import NetworkxStore
from rekg.loaders.sources import inputs as sources

from rekg.cli import cli

from .test_ingest import consistent
from .test_sources import ATOM, pdf_bytes

GOOD = "Lynas Rare Earths operates the Mount Weld mine in Western Australia.\n"


def make_corpus(root: Path) -> dict[str, str]:
    """Write the corpus; returns, for each bad file, the reason its line must give."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.txt").write_text(GOOD)
    (root / "utf16.txt").write_bytes("MP Materials operates the Mountain Pass mine in California.\n"
                                     .encode("utf-16"))  # with a BOM: must load, not fail
    (root / "recoverable.html").write_text(  # unclosed tags and stray end tags: still readable
        "<html><body><div><p>Iluka Resources builds the <b>Eneabba refinery</p> in Western Australia"
        "</div></span><p>unclosed <i>tag")
    (root / "good.jsonl").write_text(
        json.dumps({"text": "Arafura Rare Earths develops the Nolans project.", "url": "https://x.org/1"}) + "\n"
        + '{"text": "broken line", "url": \n'
        + json.dumps({"text": "Neo Performance Materials operates a plant in Sillamäe.", "url": "https://x.org/3"})
        + "\n")
    (root / "good.atom").write_bytes(ATOM)
    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (root / "empty.md").write_bytes(b"")
    with open(root / "big.txt", "wb") as fh:  # 50 MB of real text, over the 20 MB limit
        line = GOOD.encode()
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    (root / "latin1.txt").write_bytes("Sillamäe hosts the NPM Silmet plant.\n".encode("latin-1"))
    (root / "truncated.pdf").write_bytes(pdf_bytes(["MP Materials operates Mountain Pass."])[:400])
    (root / "no-text.html").write_text(
        "<html><head><script>var x = 1;</script><style>p {}</style></head><body><img src=a.png></body></html>")
    (root / "malformed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>')
    (root / "missing-columns.csv").write_text("head,relation,tail\nLynas,OPERATES,Mount Weld\n")
    return {
        "binary.txt": "binary data, not text",
        "empty.md": "empty, nothing to load",
        "big.txt": "50 MB is over the 20 MB limit for one input",
        "latin1.txt": "not valid UTF-8 (byte 6: 0xe4); save it as UTF-8",
        "truncated.pdf": "damaged or truncated PDF (PdfStreamError: Stream has ended unexpectedly)",
        "no-text.html": "no text found in the HTML page",
        "malformed.rss": "malformed feed (line 1, column ",
        "missing-columns.csv": "missing column(s) head_type, tail_type, source, date; a facts file has the "
                               "columns head, head_type, relation, tail, tail_type, source, date",
        "good.jsonl:2": "not valid JSON (Expecting value at column 32)",
    }


def failure_lines(stderr: str) -> list[str]:
    return [ln.removeprefix("failed: ") for ln in stderr.splitlines() if ln.startswith("failed: ")]


def test_bad_files_one_line_each_good_ones_load(tmp_path: Path, store_path: Path):
    corpus = tmp_path / "corpus"
    expected = make_corpus(corpus)
    missing = tmp_path / "does-not-exist.txt"
    result = CliRunner().invoke(cli, ["--store", str(store_path), "ingest", str(corpus), str(missing),
                                      "--format", "json"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = failure_lines(result.stderr)
    expected[missing.name] = "no such file or folder"
    for name, reason in expected.items():
        mine = [ln for ln in lines if ln.startswith(f"{corpus / name}: ") or ln.startswith(f"{tmp_path / name}: ")]
        assert len(mine) == 1, (name, lines)
        assert reason in mine[0], (name, mine[0])
    assert len(lines) == len(expected), lines
    summary = json.loads(result.stdout)
    assert summary["failed"] == len(expected)
    store = NetworkxStore(store_path)
    sources_loaded = sorted(d.source for d in store.documents().values())
    assert sources_loaded == sorted([str(corpus / "good.txt"), str(corpus / "utf16.txt"),
                                     str(corpus / "recoverable.html"), "https://x.org/1", "https://x.org/3",
                                     "https://cm.example.org/crma"])
    assert summary["loaded"] == len(sources_loaded)
    names = {e.name for e in store.subgraph().entities}
    assert {"Lynas Rare Earths", "MP Materials", "Mountain Pass", "Eneabba Rare Earths Refinery"} <= names
    consistent(store)


def test_folder_without_read_permission(tmp_path: Path, store_path: Path, monkeypatch):
    locked = tmp_path / "corpus" / "locked"
    locked.mkdir(parents=True)
    (locked / "inside.txt").write_text(GOOD)
    (tmp_path / "corpus" / "outside.txt").write_text("MP Materials operates the Mountain Pass mine.\n")
    locked.chmod(0)
    try:
        if os.geteuid() == 0:
            # Root reads a folder whatever its mode, so chmod 000 stops nothing: the folder
            # really is readable and its file loads. The refusal itself is tested below by
            # making the listing raise PermissionError, as it does for any other user.
            result = CliRunner().invoke(cli, ["--store", str(store_path), "ingest", str(tmp_path / "corpus")])
            assert result.exit_code == 0 and result.stdout.startswith("2 loaded")
            store_path.unlink()
        real = sources._scandir

        def refuse(path):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(sources, "_scandir", refuse)
        result = CliRunner().invoke(cli, ["--store", str(store_path), "ingest", str(tmp_path / "corpus")])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == [f"{locked}: permission denied"]
    assert result.stdout.startswith("1 loaded")
    (doc,) = NetworkxStore(store_path).documents().values()
    assert doc.source.endswith("outside.txt")


def test_unreadable_file(tmp_path: Path, store_path: Path, monkeypatch):
    f = tmp_path / "secret.txt"
    f.write_text(GOOD)
    real = Path.read_bytes

    def refuse(self):
        if self == f:  # as above: under root chmod 000 would not stop the read
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = CliRunner().invoke(cli, ["--store", str(store_path), "ingest", str(f)])
    assert result.exit_code == 1 and failure_lines(result.stderr) == [f"{f}: permission denied"]


def test_a_failed_write_leaves_no_half_document(tmp_path: Path, extractor):
    """A store error in the second batch: the first batch is whole, the second absent."""
    from rekg.graph.errors import StoreError
    from rekg.loaders import ingest as ingest_module

    for i in range(5):
        (tmp_path / f"d{i}.txt").write_text(f"Lynas Rare Earths opened plant number {i} in Malaysia.\n")
    store = NetworkxStore(tmp_path / "g.json")
    real, calls = store.upsert, []

    def flaky(batch):
        calls.append(len(batch.documents))
        if len(calls) == 2:
            raise StoreError("disk full")
        return real(batch)

    store.upsert = flaky
    old = ingest_module.BATCH_DOCUMENTS
    ingest_module.BATCH_DOCUMENTS = 2
    try:
        with pytest.raises(StoreError):
            ingest_module.ingest([tmp_path], store, extractor)
    finally:
        ingest_module.BATCH_DOCUMENTS = old
    reopened = NetworkxStore(tmp_path / "g.json")
    assert len(reopened.documents()) == 2
    consistent(reopened)
    report = ingest_module.ingest([tmp_path], reopened, extractor)  # the next run completes it
    assert (report.loaded, report.skipped) == (3, 2)
    consistent(reopened)
