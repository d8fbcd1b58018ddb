"""The notebooks run top to bottom, and are committed with their outputs cleared.

Each notebook is copied to a temporary folder and executed there by nbclient in a kernel of
this venv's interpreter (a `python3` kernel spec written for the run, checked by a last cell
that prints `sys.executable`); any cell error fails the test with the cell and its traceback.
The committed file is never written. `01-explore` needs nothing but the sample corpus;
`02-neo4j-cypher` starts its own local Neo4j (tools/neo4j/) and stops it in its last cell —
or uses the server at NEO4J_URI, emptied first, as the other Neo4j tests do. It is skipped only
when no Neo4j can start and REKG_REQUIRE_NEO4J is unset (CI sets it: then it fails).

The helper API the cells call (`rekg.queries.notebook`) is checked by its docstring examples here,
and what its `show()` puts in a notebook is drawn in headless Chromium (as tests/test_browser.py).
"""
from __future__ import annotations

import doctest
import html
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rekg.graph.schema import RELATION_TYPES

from .conftest import ROOT

nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[test]' (nbformat, nbclient, ipykernel)")
nbclient = pytest.importorskip("nbclient", reason="pip install -e '.[test]' (nbformat, nbclient, ipykernel)")
pytest.importorskip("ipykernel", reason="pip install -e '.[test]' (ipykernel runs the notebooks)")
pytest.importorskip("pandas", reason="pip install -e '.[test]' (the notebooks show DataFrames)")

NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
EXPLORE = NOTEBOOKS / "01-explore.ipynb"
NEO4J = NOTEBOOKS / "02-neo4j-cypher.ipynb"
#: Seconds one cell may take (starting Neo4j the first time is the slow one).
CELL_TIMEOUT = 600
WHO_RAN = "import sys; print(sys.executable)"


@pytest.fixture(scope="module")
def venv_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A `python3` kernel spec that runs this interpreter (the venv's), found before any other
    (JUPYTER_PATH comes first); IPython's and Jupyter's own files go to a temporary folder."""
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "share" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (rekg venv)", "language": "python",
    }), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(home / "share"))
        mp.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        mp.setenv("JUPYTER_PLATFORM_DIRS", "1")
        mp.setenv("IPYTHONDIR", str(home / "ipython"))
        mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        yield


def execute(path: Path, workdir: Path):
    """Run a copy of the notebook at `path` in `workdir` and return it, outputs and all.

    The executed copy is written to `workdir` (to look at after a failure); `path` is never
    written. Raises nbclient's CellExecutionError on the first cell that fails.
    """
    copy = workdir / path.name
    shutil.copyfile(path, copy)
    before = path.read_bytes()
    book = nbformat.read(copy, as_version=4)
    book.cells.append(nbformat.v4.new_code_cell(WHO_RAN))
    client = nbclient.NotebookClient(book, kernel_name="python3", timeout=CELL_TIMEOUT, startup_timeout=120,
                                     resources={"metadata": {"path": str(workdir)}})
    try:
        client.execute()
    finally:
        nbformat.write(book, copy)
        assert path.read_bytes() == before, f"{path} was written while it ran"
    ran = text_of(book.cells[-1]).strip()
    assert Path(ran) == Path(sys.executable), f"the kernel ran {ran}, not {sys.executable}"
    return book


def text_of(cell) -> str:
    """Everything a code cell printed or showed as text."""
    out = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            out.append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            out.append(o.data.get("text/plain", ""))
    return "".join(out)


def html_of(cell) -> str:
    return "".join(o.data.get("text/html", "") for o in cell.get("outputs", [])
                   if o.output_type in ("execute_result", "display_data"))


def cell_with(book, text: str):
    """The first code cell whose source contains `text`."""
    return next(c for c in book.cells if c.cell_type == "code" and text in c.source)


def failed_cell(book):
    return next((c for c in book.cells if any(o.output_type == "error" for o in c.get("outputs", []))), None)


def check_inline_page(cell) -> None:
    """The cell drew rekg's page inline: one sandboxed iframe, its page self-contained."""
    shown = html_of(cell)
    match = re.search(r'<iframe sandbox="allow-scripts"[^>]* srcdoc="([^"]*)"', shown)
    assert match, shown[:300]
    page = html.unescape(match.group(1))
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=[\"']?(https?:)?//", page), "a CDN or network URL"
    assert '"China Northern Rare Earth Group"' in page


# -- the committed files ----------------------------------------------------------------------
def test_the_notebooks_are_there() -> None:
    assert [p.name for p in ALL] == ["01-explore.ipynb", "02-neo4j-cypher.ipynb"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    assert book.metadata.kernelspec.name == "python3"
    for number, cell in enumerate(book.cells, 1):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {number} holds outputs: clear them before committing"
            assert cell.execution_count is None, f"{path.name} cell {number} has an execution count"
        assert not cell.get("attachments"), f"{path.name} cell {number} has attachments"


def test_one_cypher_query_per_relation_type() -> None:
    """Under a '### TYPE' heading, a `cypher(...)` cell whose statement matches that type."""
    cells = nbformat.read(NEO4J, as_version=4).cells
    headed = {}
    for heading, code in zip(cells, cells[1:], strict=False):
        found = re.match(r"### (\w+)", heading.source) if heading.cell_type == "markdown" else None
        if found and code.cell_type == "code":
            headed[found.group(1)] = code.source
    assert sorted(headed) == sorted(RELATION_TYPES)
    for name, source in headed.items():
        assert "cypher(" in source and re.search(rf"\[\w*:{name}[\]*]", source), name


def test_helper_examples() -> None:
    """The docstring examples of `rekg.queries.notebook` (the cells' API) run and hold."""
    import rekg.queries.notebook

    result = doctest.testmod(rekg.queries.notebook, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0


# -- running them -----------------------------------------------------------------------------
def test_explore_notebook_runs(venv_kernel, tmp_path: Path) -> None:
    book = execute(EXPLORE, tmp_path)
    assert "Organization" in text_of(cell_with(book, "counts(store)"))
    assert "LOCATED_IN" in text_of(cell_with(book, 'profile(store, "China Northern Rare Earth Group")'))
    check_inline_page(cell_with(book, "show(cnreg"))
    assert "<table" in html_of(cell_with(book, "pol = policies(store)"))
    assert "Lynas Rare Earths" in text_of(cell_with(book, 'top = query(store, "central"'))
    route = text_of(cell_with(book, 'route = paths(store, "Lynas"'))
    assert re.search(r"shortest path\(s\) of \d hops|No path of at most 4 hops", route), route


@pytest.mark.neo4j
def test_neo4j_notebook_runs(venv_kernel, request: pytest.FixtureRequest, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    from .neo4j_fixtures import clear, neo4j_unavailable

    own_server = not os.environ.get("NEO4J_URI")
    if not own_server:  # the session's server at NEO4J_URI, checked as the other Neo4j tests do, then emptied
        from rekg.graph.stores.neo4j import open_neo4j

        info = request.getfixturevalue("neo4j_server")
        with open_neo4j(info.uri, info.user, info.password) as store:
            clear(store)
    kernel_tmp = tmp_path / "kernel-tmp"  # where the notebook's server keeps its state and data
    kernel_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(kernel_tmp))
    try:
        book = execute(NEO4J, tmp_path)
    except nbclient.exceptions.CellExecutionError as exc:
        cell = failed_cell(nbformat.read(tmp_path / NEO4J.name, as_version=4))
        if (own_server and cell is not None and "local_neo4j()" in cell.source
                and exc.ename in ("StoreError", "StoreUnavailable")):
            neo4j_unavailable(f"the notebook's local Neo4j did not start: {exc.evalue}")
        raise AssertionError(f"{NEO4J.name} failed; the executed copy is {tmp_path / NEO4J.name}") from exc
    finally:
        _stop_leftovers(kernel_tmp)
    counts = text_of(cell_with(book, "counts(neo.store)"))
    assert "Organization" in counts and "FUNDS" in counts
    for name in RELATION_TYPES:
        assert name in text_of(cell_with(book, "UNWIND $types AS type"))
    assert "LOCATED_IN" in text_of(cell_with(book, "neo4j.GraphDatabase.driver"))
    check_inline_page(cell_with(book, "show(cnreg"))
    assert text_of(cell_with(book, "same_rows(")).strip() == "True"
    stopped = text_of(cell_with(book, "neo.close()"))
    if own_server:
        assert "stopped, its data deleted" in stopped, stopped
        assert not list(kernel_tmp.glob("rekg-neo4j-*")), "the notebook left its Neo4j state behind"
    else:
        assert "keeps running" in stopped, stopped


def _stop_leftovers(folder: Path) -> None:
    """Stop any server a failed run left in `folder` (the notebook's last cell normally does)."""
    from rekg.graph.stores import neo4j_local as neo4j_server

    for state in folder.glob("rekg-neo4j-*"):
        if state.is_dir() and neo4j_server.status(state).running:
            neo4j_server.stop(state)


@pytest.mark.browser
def test_inline_page_draws_in_a_browser(tmp_path: Path) -> None:
    """What `show()` puts in a notebook draws in headless Chromium: the sandboxed iframe's page
    gets ready, with no console error and no request but the host page's own."""
    from rekg.queries.notebook import ego, load_corpus, show

    from bench.html_browser import BrowserMissing, chromium_context

    from .test_browser import READY, _missing

    sub = ego(load_corpus(model="none"), "China Northern Rare Earth Group", depth=2)
    shown = show(sub, title="inline")
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body><h1>a notebook</h1>{shown.data}</body></html>", encoding="utf-8")
    errors: list[str] = []
    requests: list[str] = []
    try:
        with chromium_context() as context:
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(host.as_uri())
            frame = page.frame_locator("iframe")
            frame.locator(READY).wait_for(state="attached", timeout=30_000)
            assert frame.locator("#summary").inner_text().startswith(f"{len(sub.entities)} actors")
            assert frame.locator("#title").inner_text() == "inline"
    except BrowserMissing as exc:
        _missing(str(exc))
    assert errors == []
    assert requests == [host.as_uri()]
