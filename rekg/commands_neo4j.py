"""`rekg neo4j start|stop|status` (the local server of tools/neo4j/) and `rekg cypher`."""
from __future__ import annotations

import json
import sys

import click

from rekg.graph.errors import QueryError, RekgError

from .context import Context
from .output import format_rows

state_option = click.option(
    "--state", "state_dir", envvar="REKG_NEO4J_STATE", type=click.Path(file_okay=False),
    help="State folder of the server (default $REKG_NEO4J_STATE, else ~/.cache/rekg/neo4j-state).")


@click.group()
def neo4j() -> None:
    """Run a real local Neo4j 5 for rekg (fetched from Maven Central once; needs Java 17+).

    \b
    eval "$(rekg neo4j start)"    # sets NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD
    rekg ingest examples/corpus   # now writes to that server
    rekg neo4j stop
    """


@neo4j.command("start")
@state_option
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Keep the database in this folder (default: a temporary one, deleted on stop).")
@click.option("--port", type=int, help="Bolt port (default: a free one).")
@click.option("--password", help="Password of user neo4j (default: a random one).")
def neo4j_start(state_dir: str | None, data_dir: str | None, port: int | None,
                password: str | None) -> None:
    """Start the server (or find it running); print `export NEO4J_…=…` lines for `eval`."""
    from rekg.graph.stores import neo4j_local as neo4j_server

    info = neo4j_server.start(state_dir, data_dir=data_dir, port=port, password=password, echo=True)
    click.echo(info.env_lines())


@neo4j.command("stop")
@state_option
def neo4j_stop(state_dir: str | None) -> None:
    """Stop the server and delete its temporary data."""
    from rekg.graph.stores import neo4j_local as neo4j_server

    neo4j_server.stop(state_dir, echo=True)


@neo4j.command("status")
@state_option
def neo4j_status(state_dir: str | None) -> None:
    """Print 'running URI pid N' (exit 0) or 'stopped' (exit 3)."""
    from rekg.graph.stores import neo4j_local as neo4j_server

    st = neo4j_server.status(state_dir)
    if not st.running:
        click.echo("stopped")
        sys.exit(3)
    click.echo(f"running {st.uri} pid {st.pid}")


def parse_param(text: str) -> tuple[str, object]:
    """`k=v` -> (k, v): v read as JSON when it is JSON (5, true, [1,2], "x"), else as text.

    >>> parse_param("limit=5"), parse_param("name=Lynas Rare Earths"), parse_param('ids=["a"]')
    (('limit', 5), ('name', 'Lynas Rare Earths'), ('ids', ['a']))
    """
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="--param")
    try:
        value: object = json.loads(raw)
    except ValueError:
        value = raw
    return key.strip(), value


@click.command()
@click.argument("statement")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter ($KEY); VALUE is read as JSON when it parses, else as text. Repeatable.")
@click.option("--write", is_flag=True, help="Run in a write transaction (default: read-only).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table",
              show_default=True)
@click.pass_obj
def cypher(obj: Context, statement: str, params: tuple[str, ...], write: bool, fmt: str) -> None:
    """Run a Cypher STATEMENT on the Neo4j server (--neo4j URI or NEO4J_URI) and print its rows."""
    if not obj.neo4j_uri:
        raise RekgError("rekg cypher needs a Neo4j server: pass --neo4j URI or set NEO4J_URI "
                        "(for a local one: eval \"$(rekg neo4j start)\")")
    values = dict(parse_param(p) for p in params)
    store = obj.open_store()
    try:
        execute = getattr(store, "execute", None)
        if execute is None:
            raise QueryError("this store does not run Cypher")
        try:
            rows = execute(statement, values, write=write)
        except QueryError as exc:
            if not write and "read access mode" in str(exc):
                raise QueryError(f"{exc} (add --write to run a statement that writes)") from exc
            raise
    finally:
        store.close()
    click.echo(format_rows(rows, fmt))
