"""Write throughput of the Neo4j store: the batched writer against a naive one-query-per-row one.

    .venv/bin/python bench/neo4j_write.py [--relations 100000] [--naive-sample 5000] [--uri URI]

Starts its own local Neo4j (tools/neo4j/neo4j.sh, temporary state and data) unless --uri is
given (NEO4J_USER / NEO4J_PASSWORD then give the login; the database is wiped). Generates
synthetic relations between organizations, each one document's contribution with one
evidence sentence, and writes them:

- batched: `Neo4jStore.upsert`, one transaction per --chunk relations plus their entities
  (default: all of them in one), statements of 5,000 rows: the whole merge (create or lock
  and read, merge in Python, write back what changed), as an ingest does it;
- naive: one query per relation, each its own transaction (MERGE both ends, MERGE the
  relation, SET its properties), on the first --naive-sample relations of a cleared
  database; its rate is extrapolated from that sample.

Both run after a warm-up (--warmup full-size batched passes, and 500 naive rows: query plans
cached, JIT compiled).

For scale it also times the least a Cypher writer can do to store the same graph on this
machine (the floor): the same entities and relations, with the same properties, written with
plain `UNWIND $rows ... CREATE` in statements of 5,000 rows and one transaction, the
relations finding their ends by the elementIds the entity statement returned: nothing merged,
read or locked. Its passes alternate with the batched ones (same warm-up, same conditions).
When the benchmark started the server itself, it also prints the server's CPU time per pass
(from /proc): the work that bounds any writer, whatever the client does.

Prints relations per second for each (batched and floor: the median of --repeat passes,
each on a cleared database), and their ratios.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import neo4j

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rekg.graph.ids import entity_id  # noqa: E402
from rekg.graph.merge import merge_relation  # noqa: E402
from rekg.graph.model import Entity, GraphBatch, Relation, to_properties  # noqa: E402
from rekg.graph.stores.cypher import RELATION_KEYS  # noqa: E402
from rekg.graph.stores.neo4j import BATCH_ROWS, Neo4jStore, open_neo4j, properties  # noqa: E402

TYPES = ("PARTNERS_WITH", "FUNDS", "PART_OF")

# The straw man: what one writes without batching. One statement per relation, its values as
# parameters, in a transaction of its own (round trips and a commit per row).
NAIVE_ROW = """
MERGE (h:Entity {id: $head}) ON CREATE SET h += $head_props, h:Organization
MERGE (t:Entity {id: $tail}) ON CREATE SET t += $tail_props, t:Organization
MERGE (h)-[r:%s]->(t)
SET r = $props
"""


def make_data(n_relations: int, n_entities: int, seed: int = 7) -> tuple[list[Entity], list[Relation]]:
    rnd = random.Random(seed)
    entities = []
    for i in range(n_entities):
        name = f"Benchmark Rare Earth Company {i:06d}"
        entities.append(Entity(entity_id("Organization", name), name, "Organization",
                               [f"BREC {i}"], "company", "AU"))
    keys: set[tuple[int, str, int]] = set()
    while len(keys) < n_relations:
        h, t = rnd.randrange(n_entities), rnd.randrange(n_entities)
        if h != t:
            keys.add((h, rnd.choice(TYPES), t))
    relations = []
    for n, (h, rel_type, t) in enumerate(sorted(keys)):
        day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
        relations.append(Relation(
            entities[h].id, rel_type, entities[t].id, None, [f"doc-bench{n // 10:08d}"],
            [f"{entities[h].name} and {entities[t].name} signed agreement number {n} on rare earth "
             "oxide supply, according to the company's statement."],
            [], 1, day, day, round(0.5 + rnd.random() / 2, 3), ["bench.rule"]))
    return entities, relations


def batches(entities: list[Entity], relations: list[Relation], chunk: int) -> list[GraphBatch]:
    by_id = {e.id: e for e in entities}
    out = []
    for i in range(0, len(relations), chunk):
        rels = relations[i: i + chunk]
        ids = sorted({r.head for r in rels} | {r.tail for r in rels})
        out.append(GraphBatch(entities=[by_id[x] for x in ids], relations=rels))
    return out


def clear(store: Neo4jStore) -> None:
    while store.execute("MATCH (n) WITH n LIMIT 2000 DETACH DELETE n RETURN count(*) AS n",
                        write=True)[0]["n"]:
        pass


FLOOR_ENTITIES = """UNWIND $rows AS row
CREATE (e:Entity:Organization) SET e = row.props
RETURN row.props.id AS id, elementId(e) AS eid"""
FLOOR_RELATIONS = """UNWIND $rows AS row
MATCH (h) WHERE elementId(h) = row.h
MATCH (t) WHERE elementId(t) = row.t
CREATE (h)-[r:%s]->(t) SET """ + ", ".join(f"r.{k} = row.props.{k}" for k in RELATION_KEYS)


def rel_props(rel: Relation) -> dict:
    """The properties the store gives a new relationship whose one contribution is `rel`."""
    return properties(merge_relation(None, rel))


def floor_rows(entities: list[Entity], relations: list[Relation]) -> tuple[list[dict], dict[str, list[dict]]]:
    """The floor's parameters, made before it is timed (in it, its client only adds the ends'
    elementIds and sends them)."""
    by_type: dict[str, list[dict]] = {}
    for rel in relations:
        by_type.setdefault(rel.type, []).append({"head": rel.head, "tail": rel.tail, "props": rel_props(rel)})
    return [{"props": to_properties(e)} for e in entities], by_type


def floor(driver: neo4j.Driver, entity_rows: list[dict], relation_rows: dict[str, list[dict]]) -> None:
    """Write the graph with plain CREATE statements, in one transaction."""
    def work(tx) -> None:
        eid = {}
        for i in range(0, len(entity_rows), BATCH_ROWS):
            for rec in tx.run(FLOOR_ENTITIES, rows=entity_rows[i: i + BATCH_ROWS]):
                eid[rec["id"]] = rec["eid"]
        for rel_type, rows in relation_rows.items():
            for i in range(0, len(rows), BATCH_ROWS):
                tx.run(FLOOR_RELATIONS % rel_type, rows=[
                    {"h": eid[r["head"]], "t": eid[r["tail"]], "props": r["props"]} for r in rows[i: i + BATCH_ROWS]
                ]).consume()

    with driver.session() as session:
        session.execute_write(work)


def server_cpu(pid: int | None) -> float:
    """CPU seconds the process `pid` has used (0 when unknown)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def naive(store: Neo4jStore, entities: list[Entity], relations: list[Relation]) -> None:
    by_id = {e.id: e for e in entities}
    for rel in relations:
        props = rel_props(rel)
        store.execute(NAIVE_ROW % rel.type, {
            "head": rel.head, "tail": rel.tail, "props": props,
            "head_props": to_properties(by_id[rel.head]), "tail_props": to_properties(by_id[rel.tail]),
        }, write=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--relations", type=int, default=100_000)
    ap.add_argument("--entities", type=int, default=20_000)
    ap.add_argument("--chunk", type=int, default=100_000, help="relations per upsert (transaction)")
    ap.add_argument("--naive-sample", type=int, default=5_000)
    ap.add_argument("--warmup", type=int, default=3, help="untimed passes of each writer first")
    ap.add_argument("--repeat", type=int, default=5, help="timed passes of each writer (medians are reported)")
    ap.add_argument("--uri", default=None, help="an existing server to use (it is wiped)")
    args = ap.parse_args()

    state = None
    pid = None
    if args.uri:
        uri, user, password = args.uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    else:
        from rekg.graph.stores import neo4j_local as neo4j_server

        state = tempfile.mkdtemp(prefix="rekg-bench-state.")
        # a server set up for throughput, not for the tests' quick start: a fixed 4 GiB heap
        # (a 100,000-relation transaction is held in memory until it commits; with 2 GiB the
        # JVM spent seconds in full collections), the throughput collector, and the JVM's
        # optimising compiler (the launcher stops at C1)
        os.environ.setdefault("REKG_NEO4J_HEAP", "4g")
        os.environ.setdefault("REKG_NEO4J_PAGECACHE", "512")
        os.environ.setdefault("REKG_NEO4J_JAVA_OPTS", "-XX:TieredStopAtLevel=4 -Xms4g -XX:+UseParallelGC")
        print(f"starting a local Neo4j (state {state}, heap {os.environ['REKG_NEO4J_HEAP']}, "
              f"{os.environ['REKG_NEO4J_JAVA_OPTS']}) ...", file=sys.stderr)
        info = neo4j_server.start(state)
        uri, user, password = info.uri, info.user, info.password
        pid = neo4j_server.status(state).pid
    try:
        store = open_neo4j(uri, user, password)
        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
        entities, relations = make_data(args.relations, args.entities)
        ends = {r.head for r in relations} | {r.tail for r in relations}
        entities = [e for e in entities if e.id in ends]  # what both writers store
        work = batches(entities, relations, args.chunk)
        entity_rows, relation_rows = floor_rows(entities, relations)

        def batched_pass() -> tuple[float, float]:
            cpu, t0 = server_cpu(pid), time.perf_counter()
            for b in work:
                store.upsert(b)
            took, cpu = time.perf_counter() - t0, server_cpu(pid) - cpu
            check("batched writer")
            return took, cpu

        def floor_pass() -> tuple[float, float]:
            cpu, t0 = server_cpu(pid), time.perf_counter()
            floor(driver, entity_rows, relation_rows)
            took, cpu = time.perf_counter() - t0, server_cpu(pid) - cpu
            check("floor")
            return took, cpu

        def check(writer: str) -> None:
            """Stop unless `writer` stored the whole graph; then clear it."""
            counts = store.counts()
            got = (counts.nodes.get("Entity", 0), sum(counts.relations.values()))
            if got != (len(entities), len(relations)):
                raise SystemExit(f"{writer} stored {got[0]} entities and {got[1]} relations, "
                                 f"expected {len(entities)} and {len(relations)}")
            clear(store)

        clear(store)
        # warm-up: plan the statements and let the JIT compile (the optimising compiler takes
        # a few full-size passes to settle), then clear
        for _ in range(args.warmup):
            batched_pass()
            floor_pass()
        naive(store, entities, relations[-500:])
        clear(store)

        runs, floors = [], []
        for _ in range(args.repeat):
            runs.append(batched_pass())
            floors.append(floor_pass())
        batched_s = statistics.median(t for t, _ in runs)
        batched_rate = len(relations) / batched_s
        floor_s = statistics.median(t for t, _ in floors)
        floor_rate = len(relations) / floor_s

        sample = relations[: args.naive_sample]
        t0 = time.perf_counter()
        naive(store, entities, sample)
        naive_s = time.perf_counter() - t0
        naive_rate = len(sample) / naive_s
        store.close()
        driver.close()
    finally:
        if state:
            from rekg.graph.stores import neo4j_local as neo4j_server

            neo4j_server.stop(state)

    def passes(timed: list[tuple[float, float]]) -> str:
        return ", ".join(f"{len(relations) / t:,.0f}" for t, _ in timed)

    def cpu(timed: list[tuple[float, float]]) -> str:
        if pid is None:
            return ""
        busy = statistics.median(c for _, c in timed)
        return f"; server CPU {busy:.1f} s a pass (median)"

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"server: {uri}; machine: {os.cpu_count()} CPUs, load average {load} at the end")
    print(f"batched: {len(relations):,} relations (+{len(entities):,} entities) in {len(work)} "
          f"transaction(s) of {args.chunk:,}: median of {len(runs)} passes {batched_s:.1f} s, "
          f"{batched_rate:,.0f} relations/s (passes: {passes(runs)} relations/s){cpu(runs)}")
    print(f"naive:   {len(sample):,}-relation sample, one transaction per relation: {naive_s:.1f} s, "
          f"{naive_rate:,.0f} relations/s (extrapolated to {len(relations):,}: "
          f"{len(relations) / naive_rate:,.0f} s)")
    print(f"ratio:   batched / naive = {batched_rate / naive_rate:.1f}x")
    print(f"floor:   the same graph with plain UNWIND/CREATE, nothing merged, read or locked: median of "
          f"{len(floors)} passes {floor_rate:,.0f} relations/s (passes: {passes(floors)} relations/s)"
          f"{cpu(floors)}; batched, merging, reaches {batched_rate / floor_rate:.0%} of it")

if __name__ == "__main__":
    main()
