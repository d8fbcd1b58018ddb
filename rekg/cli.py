"""The rekg command line: a thin shell over `loaders`, `graph` and `queries`.

Data goes to stdout, progress and messages to stderr. Expected failures print one line and
exit 1; `--debug` shows the traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graph.errors import RekgError

from .context import Context
from .output import format_rows

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"


class RekgGroup(click.Group):
    """Turns RekgError into one line on stderr and exit code 1 (traceback with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RekgError as exc:
            obj = ctx.obj
            if obj is not None and getattr(obj, "debug", False):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=RekgGroup)
@click.option("--store", "store_path", envvar="REKG_STORE", type=click.Path(dir_okay=False),
              help="Embedded graph file (default $REKG_STORE, else ~/.local/share/rekg/graph.json).")
@click.option("--neo4j", "neo4j_uri", envvar="NEO4J_URI", metavar="URI",
              help="Use the Neo4j server at URI (bolt://…) instead of the embedded store; "
                   "NEO4J_USER and NEO4J_PASSWORD give the login.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="rekg")
@click.pass_context
def cli(ctx: click.Context, store_path: str | None, neo4j_uri: str | None, debug: bool) -> None:
    """rekg: a knowledge graph of the rare-earth industry's actors, built from documents."""
    ctx.obj = Context(store_path, neo4j_uri, debug)


def _settings(model: str | None):
    from loaders.pipeline import Settings

    return Settings(model=model)


model_option = click.option(
    "--model", default=None, metavar="NAME",
    help="spaCy pipeline adding statistical entities ('none' for rules only; default "
         "$REKG_SPACY_MODEL, else en_core_web_sm when installed).")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@model_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="How to print the summary.")
@click.pass_obj
def ingest(obj: Context, paths: tuple[str, ...], model: str | None, fmt: str) -> None:
    """Load documents (files or folders) into the graph; already loaded ones are skipped."""
    from loaders.ingest import ingest as run_ingest
    from loaders.ingest import make_extractor

    store = obj.open_store()
    try:
        extractor = make_extractor(_settings(model))
        with click.progressbar(length=0, label="extracting", file=sys.stderr,
                               show_pos=True) as bar:
            report = run_ingest(paths, store, extractor, progress=bar.update)
    finally:
        store.close()
    _print_report(report, fmt, obj.describe())
    if report.failed:
        sys.exit(1)


def _print_report(report, fmt: str, where: str) -> None:
    for line in report.failed:
        click.echo(f"failed: {line}", err=True)
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(f"{report.loaded} loaded, {report.skipped} unchanged, {len(report.failed)} failed; "
                   f"{report.written.entities} new entities, {report.written.relations} new "
                   f"relations -> {where}")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@model_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl",
              help="One JSON object per document (jsonl) or one JSON array.")
@click.pass_obj
def extract(obj: Context, paths: tuple[str, ...], model: str | None, fmt: str) -> None:
    """Print what each document states (entities, relations, evidence), without storing it."""
    from loaders.ingest import make_extractor, read_sources

    extractor = make_extractor(_settings(model))
    failures: list[str] = []
    records = []
    for src in read_sources(paths, failures):
        ex = extractor.extract(src)
        for w in ex.warnings:
            click.echo(f"warning: {w}", err=True)
        rec = ex.to_json()
        if fmt == "jsonl":
            click.echo(json.dumps(rec, ensure_ascii=False))
        else:
            records.append(rec)
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    for line in failures:
        click.echo(f"failed: {line}", err=True)
    if failures:
        sys.exit(1)


@cli.command()
@click.option("--top", default=10, show_default=True, help="How many top actors to list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def stats(obj: Context, top: int, fmt: str) -> None:
    """Counts per label and relation type, and the actors with most relations."""
    from queries.stats import stats as run_stats

    store = obj.open_store()
    try:
        result = run_stats(store, top)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo("nodes:")
    for k, v in result["nodes"].items():
        click.echo(f"  {k:16s} {v}")
    click.echo("relationships:")
    for k, v in result["relationships"].items():
        click.echo(f"  {k:16s} {v}")
    click.echo("top actors by degree:")
    click.echo(format_rows(result["top_actors"]))


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="rekg-graph.html",
              show_default=True, help="HTML file to write.")
@click.pass_obj
def render(obj: Context, output: str) -> None:
    """Write the graph as an interactive HTML page that opens with no network."""
    from queries.render import build_network, write_html

    store = obj.open_store()
    try:
        sub = store.subgraph()
    finally:
        store.close()
    path = write_html(build_network(sub), output)
    click.echo(f"wrote {path} ({len(sub.entities)} actors, {len(sub.relations)} relations)", err=True)
    click.echo(str(path))


@cli.command()
@click.option("-o", "--output", type=click.Path(file_okay=False), default="rekg-demo",
              show_default=True, help="Folder for the demo's graph and HTML page.")
@model_option
@click.pass_obj
def demo(obj: Context, output: str, model: str | None) -> None:
    """Load the sample corpus into a fresh embedded store and write its HTML page."""
    from graph.stores.networkx import NetworkxStore
    from loaders.ingest import ingest as run_ingest
    from loaders.ingest import make_extractor
    from queries.render import build_network, write_html
    from queries.stats import stats as run_stats

    if not EXAMPLES.is_dir():
        raise RekgError(f"{EXAMPLES}: the sample corpus is missing (run from a checkout)")
    out = Path(output)
    store_path = out / "graph.json"
    store_path.unlink(missing_ok=True)
    store = NetworkxStore(store_path)
    report = run_ingest([EXAMPLES], store, make_extractor(_settings(model)))
    _print_report(report, "text", str(store_path))
    page = write_html(build_network(store.subgraph()), out / "graph.html", "rekg demo")
    s = run_stats(store, 5)
    click.echo(f"{sum(v for k, v in s['nodes'].items() if k not in ('Entity',))} nodes, "
               f"{sum(s['relationships'].values())} relationships")
    click.echo(f"graph: {store_path}")
    click.echo(f"page:  {page}")
    click.echo(f"try:   rekg --store {store_path} stats")


def main() -> None:
    cli(prog_name="rekg")


if __name__ == "__main__":
    main()
