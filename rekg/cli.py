"""The rekg command line: a thin shell over `loaders`, `graph` and `queries`.

Data goes to stdout, progress and messages to stderr. Expected failures print one line and
exit 1; `--debug` shows the traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from rekg.graph.errors import RekgError

from .context import Context
from .output import FORMATS, format_rows

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
    from rekg.loaders.extraction.pipeline import Settings

    return Settings(model=model)


model_option = click.option(
    "--model", default=None, metavar="NAME",
    help="spaCy pipeline adding statistical entities ('none' for rules only; default "
         "$REKG_SPACY_MODEL, else en_core_web_sm when installed).")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@model_option
@click.option("--workers", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract in this many processes (writes stay in one, in document order).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="In folders, load only files matching GLOB (repeatable; default: every known extension).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="In folders, skip files matching GLOB (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="How to print the summary.")
@click.pass_obj
def ingest(obj: Context, paths: tuple[str, ...], model: str | None, workers: int, include: tuple[str, ...],
           exclude: tuple[str, ...], fmt: str) -> None:
    """Load documents into the graph: files, folders, `-` (standard input) or http(s) URLs.

    Text, Markdown, HTML, RSS/Atom, PDF, JSONL and curated-facts CSV. Unchanged documents are
    skipped; a changed one replaces what its older version contributed.
    """
    from rekg.loaders.ingest import ingest as run_ingest
    from rekg.loaders.ingest import make_extractor

    settings = _settings(model)
    store = obj.open_store()
    try:
        extractor = make_extractor(settings)
        with _ProgressBar() as bar:
            report = run_ingest(paths, store, extractor, progress=bar, workers=workers, settings=settings,
                                include=include, exclude=exclude)
    finally:
        store.close()
    _print_report(report, fmt, obj.describe())
    if report.failed:
        sys.exit(1)


def show_progress(progress) -> str:
    """The text beside the progress bar: documents handled and documents per second.

    >>> from rekg.loaders.ingest import Progress
    >>> show_progress(Progress(3, 10, 120, 40.0))
    '120 docs, 3.0 docs/s'
    """
    if progress is None:
        return ""
    return f"{progress.documents} docs, {progress.rate:.1f} docs/s"


class _ProgressBar:
    """A progress bar over the inputs on stderr, shown when stderr is a terminal."""

    def __init__(self) -> None:
        self.bar = None
        self.done = 0

    def __enter__(self) -> _ProgressBar:
        return self

    def __call__(self, progress) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=max(progress.inputs_total, 1), label="loading", file=sys.stderr,
                                         show_pos=True, item_show_func=show_progress)
            self.bar.__enter__()
        self.bar.update(max(progress.inputs_done - self.done, 0), progress)
        self.done = max(self.done, progress.inputs_done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _print_report(report, fmt: str, where: str) -> None:
    for line in report.failed:
        click.echo(f"failed: {line}", err=True)
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    removed = ""
    if report.removed.entities or report.removed.relations:
        removed = (f" ({report.removed.entities} entities and {report.removed.relations} relations "
                   f"went with replaced versions)")
    click.echo(f"{report.loaded} loaded, {report.skipped} unchanged, {report.replaced} replaced, "
               f"{len(report.failed)} failed; {report.written.entities} new entities, "
               f"{report.written.relations} new relations{removed} -> {where}")


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="How to print the summary.")
@click.pass_obj
def forget(obj: Context, targets: tuple[str, ...], fmt: str) -> None:
    """Remove documents and what they alone contributed.

    A TARGET is a document id, a source path or URL, a folder (everything loaded from under
    it) or a JSONL or feed file (its lines or items that had no URL of their own).
    """
    from rekg.loaders.ingest import forget as run_forget

    store = obj.open_store()
    try:
        report = run_forget(targets, store)
    finally:
        store.close()
    for target in report.not_found:
        click.echo(f"failed: {target}: no loaded document has this source or id", err=True)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(f"{len(report.documents)} documents forgotten; {report.removed.entities} entities and "
                   f"{report.removed.relations} relations removed -> {obj.describe()}")
    if report.not_found:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@model_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl",
              help="One JSON object per document (jsonl) or one JSON array.")
@click.pass_obj
def extract(obj: Context, paths: tuple[str, ...], model: str | None, fmt: str) -> None:
    """Print what each document states (entities, relations, evidence), without storing it."""
    from rekg.loaders.ingest import make_extractor, read_sources

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
@click.option("--merged", is_flag=True, help="Only actors into which other names were resolved, with why.")
@click.option("--type", "types", multiple=True, type=click.Choice(["Organization", "Person", "Policy", "Place"]),
              help="Only these entity types (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_obj
def entities(obj: Context, merged: bool, types: tuple[str, ...], fmt: str) -> None:
    """List the graph's actors (id, type, name, aliases); --merged shows what resolution joined."""
    store = obj.open_store()
    try:
        ents = store.subgraph().entities
    finally:
        store.close()
    rows = []
    for e in sorted(ents, key=lambda e: (e.type, e.name)):
        if (types and e.type not in types) or (merged and not e.merged):
            continue
        row = {"id": e.id, "type": e.type, "name": e.name, "aliases": e.aliases}
        if merged:
            row["merged"] = e.merged
        rows.append(row)
    click.echo(format_rows(rows, fmt))


@cli.command()
@click.option("--top", default=10, show_default=True, help="How many top actors to list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def stats(obj: Context, top: int, fmt: str) -> None:
    """Counts per label and relation type, and the actors with most relations."""
    from rekg.queries.stats import stats as run_stats

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
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query (repeatable), e.g. --param name=Lynas.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="How to print the rows.")
@click.option("--list", "show_list", is_flag=True, help="List the named queries and their parameters.")
@click.pass_obj
def query(obj: Context, name: str | None, params: tuple[str, ...], fmt: str, show_list: bool) -> None:
    """Run a named query, e.g. `rekg query profile --param name=Lynas` (see --list).

    Actor names accept any alias, in any case, or an entity id.
    """
    from rekg.queries.library import listing
    from rekg.queries.library import run as run_query

    if show_list:
        click.echo(format_rows(listing(), fmt, max_width=80))
        return
    if not name:
        raise click.UsageError("name a query to run, or use --list to see them")
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        if key in values:
            raise click.BadParameter(f"{key} is given twice", param_hint="--param")
        values[key] = value
    store = obj.open_store()
    try:
        rows = run_query(store, name, values)
    finally:
        store.close()
    click.echo(format_rows(rows, fmt))


def _selection_options(fn):
    """--query NAME and --param KEY=VALUE: draw or export a named query's answer, not the whole graph."""
    fn = click.option("--param", "query_params", multiple=True, metavar="KEY=VALUE",
                      help="A parameter of --query (repeatable), e.g. --param name=Lynas.")(fn)
    return click.option("--query", "query_name", metavar="NAME",
                        help="Only the actors a named query's rows name (`id`/`…Id` fields; "
                             "for `ego`, exactly its relations); see `rekg query --list`.")(fn)


def _read_selection(obj: Context, query_name: str | None, query_params: tuple[str, ...]):
    """The whole graph, or the part a named query names."""
    values: dict[str, str] = {}
    for item in query_params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        values[key.strip()] = value
    if values and not query_name:
        raise click.UsageError("--param needs --query NAME")
    store = obj.open_store()
    try:
        if query_name:
            from rekg.queries.render import query_subgraph

            return query_subgraph(store, query_name, values)
        return store.subgraph()
    finally:
        store.close()


def _entity_types(values: tuple[str, ...]) -> list[str] | None:
    from rekg.graph.schema import ENTITY_TYPES

    by_fold = {t.lower(): t for t in ENTITY_TYPES}
    out = []
    for item in ",".join(values).split(","):
        if item.strip():
            if item.strip().lower() not in by_fold:
                raise click.BadParameter(f"{item.strip()!r} is not one of {', '.join(ENTITY_TYPES)}",
                                         param_hint="--types")
            out.append(by_fold[item.strip().lower()])
    return out or None


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="rekg-graph.html",
              show_default=True, help="HTML file to write.")
@_selection_options
@click.option("--types", "types", multiple=True, metavar="TYPE[,TYPE…]",
              help="Entity types to draw (Organization, Person, Policy, Place); default all.")
@click.option("--min-degree", type=click.IntRange(0), default=0, show_default=True,
              help="Leave out actors with fewer stated relations.")
@click.option("--max-nodes", type=click.IntRange(1), default=None,
              help="Keep only this many actors, the most central; the page says what was left out.")
@click.option("--centrality", type=click.Choice(["degree", "pagerank"]), default="degree",
              show_default=True, help="What sizes the actors and ranks them for --max-nodes.")
@click.option("--co-mentions", is_flag=True,
              help="Also draw CO_MENTIONED links (hidden until ticked in the legend).")
@click.option("--layout", type=click.Choice(["auto", "physics", "fixed"]), default="auto",
              show_default=True,
              help="physics: settles in the browser; fixed: computed here (auto: above 300 actors).")
@click.option("--title", default=None, help="Page title (default: rekg graph, or the query).")
@click.pass_obj
def render(obj: Context, output: str, query_name: str | None, query_params: tuple[str, ...],
           types: tuple[str, ...], min_degree: int, max_nodes: int | None, centrality: str,
           co_mentions: bool, layout: str, title: str | None) -> None:
    """Write the graph (or a named query's answer) as one interactive HTML page.

    The page needs no network: scripts and styles are inline. Colour and shape per actor type,
    size by centrality; click an actor or a link for its names, the sentences that state the
    link and the documents they come from.
    """
    from rekg.queries.render import build_network, write_html

    sub = _read_selection(obj, query_name, query_params)
    if title is None:
        title = "rekg graph" if not query_name else \
            f"rekg: {query_name} " + " ".join(query_params)
    view = build_network(sub, types=_entity_types(types), min_degree=min_degree, max_nodes=max_nodes,
                         co_mentions=co_mentions, centrality=centrality, layout=layout, title=title)
    path = write_html(view, output)
    om = view["omitted"]
    left = om["by_type"] + om["by_degree"] + om["by_limit"]
    click.echo(f"wrote {path}: {len(view['nodes'])} actors, {len(view['edges'])} relations"
               + (f" ({left} actors left out)" if left else ""), err=True)
    click.echo(str(path))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "cypher", "json"]),
              required=True, help="graphml/gexf (Gephi, yEd, networkx), csv (neo4j-admin import), "
                                  "cypher (a cypher-shell script), json.")
@click.option("-o", "--output", type=click.Path(), required=True,
              help="File to write (for csv, a folder).")
@_selection_options
@click.option("--co-mentions/--no-co-mentions", default=True, show_default=True,
              help="Include CO_MENTIONED links.")
@click.pass_obj
def export(obj: Context, fmt: str, output: str, query_name: str | None, query_params: tuple[str, ...],
           co_mentions: bool) -> None:
    """Export the graph (or a named query's answer) with documents, mentions and provenance.

    csv prints the `neo4j-admin database import full` command that loads the files.
    """
    from rekg.queries.export import restrict, write_export

    sub = restrict(_read_selection(obj, query_name, query_params), co_mentions=co_mentions)
    written = write_export(sub, fmt, output)
    click.echo(f"wrote {len(written.paths)} file(s): {len(sub.entities)} actors, {len(sub.relations)} "
               f"relations, {len(sub.documents)} documents", err=True)
    if written.command:
        click.echo("import into a stopped, empty database with:", err=True)
        click.echo(written.command)
        click.echo(f"then create the constraints: cypher-shell -f {Path(output) / 'schema.cypher'}",
                   err=True)
    else:
        click.echo(str(written.paths[0]))


@cli.command()
@click.option("-o", "--output", type=click.Path(file_okay=False), default="rekg-demo",
              show_default=True, help="Folder for the demo's graph and HTML page.")
@model_option
@click.pass_obj
def demo(obj: Context, output: str, model: str | None) -> None:
    """Load the sample corpus into a fresh embedded store and write its HTML page."""
    from rekg.graph.stores.networkx import NetworkxStore
    from rekg.loaders.ingest import ingest as run_ingest
    from rekg.loaders.ingest import make_extractor
    from rekg.queries.render import build_network, write_html
    from rekg.queries.stats import stats as run_stats

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


from .commands_neo4j import cypher, neo4j  # noqa: E402

cli.add_command(neo4j)
cli.add_command(cypher)


def main() -> None:
    cli(prog_name="rekg")


if __name__ == "__main__":
    main()
