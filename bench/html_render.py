"""How long the HTML page takes to be usable, for generated graphs of 500, 2,000 and 5,000 actors.

For each size: build the page in Python (selection, centrality, the fixed layout, the HTML),
open it in headless Chromium, and time from navigation to "drawn and stable" (the page sets
``body[data-ready]`` after its first complete drawing with physics off, or once physics has
settled). Then time a search-and-focus on one actor and a redraw, the things a user does first.

    .venv/bin/python bench/html_render.py                 # 500 2000 5000
    .venv/bin/python bench/html_render.py --sizes 250 500 # physics (<= 300) vs fixed layout

Prints seconds; exits 1 if the largest page is not usable within --budget seconds (default 10).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from html_browser import BrowserMissing, chromium_context  # noqa: E402
from rekg.graph.model import Document, Entity, Mention, Relation, Subgraph  # noqa: E402
from rekg.graph.schema import ENTITY_TYPES, RELATION_TYPES, allows  # noqa: E402
from rekg.queries.render import build_network, write_html  # noqa: E402

WORDS = ("rare earth magnet refinery lithium mine quota export licence joint venture offtake "
         "neodymium praseodymium dysprosium terbium separation plant ministry group holdings "
         "metals minerals resources agency council bureau province county").split()


def generated(n: int, seed: int = 7) -> Subgraph:
    """A graph shaped like ours: hubs (preferential attachment, ~2 relations per actor), the
    four entity types, relation types their ends allow, one or two evidence sentences each."""
    rng = random.Random(seed)
    weights = {"Organization": 0.45, "Place": 0.3, "Person": 0.15, "Policy": 0.1}
    ents = []
    for i in range(n):
        t = rng.choices(ENTITY_TYPES, [weights[x] for x in ENTITY_TYPES])[0]
        name = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(2, 4))) + f" {i}"
        ents.append(Entity(f"{t.lower()}/a{i}", name, t, aliases=[name.upper()] if i % 3 == 0 else []))
    docs = [Document(f"doc-{d}", f"Report {d} on " + " ".join(rng.sample(WORDS, 5)), f"https://example.org/{d}",
                     publisher="Example Wire", published=f"20{10 + d % 15}-0{1 + d % 9}-1{d % 10}")
            for d in range(max(1, n // 10))]
    rels, seen, targets = [], set(), []
    for i, e in enumerate(ents):
        picks = rng.sample(targets, min(2, len(targets))) if targets else []
        for j in picks:
            other = ents[j]
            choices = [r for r in RELATION_TYPES if allows(r, e.type, other.type)]
            head, tail = e, other
            if not choices:
                choices = [r for r in RELATION_TYPES if allows(r, other.type, e.type)]
                head, tail = other, e
            if not choices:
                continue
            rel_type = rng.choice(choices)
            key = (head.id, rel_type, tail.id)
            if key in seen:
                continue
            seen.add(key)
            src = rng.sample(docs, min(len(docs), rng.randint(1, 2)))
            ev = [f"{head.name} and {tail.name}: " + " ".join(rng.choices(WORDS, k=18)) + "." for _ in src]
            rels.append(Relation(head.id, rel_type, tail.id, sources=[d.id for d in src], evidence=ev,
                                 evidence_sources=[d.id for d in src], count=len(src),
                                 title="director" if rel_type == "HOLDS_POSITION" else None))
        targets.append(i)
        targets.extend(picks)  # preferential attachment: linked actors get likelier
    ments = [Mention(rng.choice(docs).id, e.id) for e in ents]
    return Subgraph(entities=ents, relations=rels, documents=docs, mentions=ments)


def measure(context, n: int, out: Path) -> dict[str, float]:
    sub = generated(n)
    t0 = time.perf_counter()
    view = build_network(sub, title=f"bench {n}")
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    path = write_html(view, out / f"bench-{n}.html")
    t_write = time.perf_counter() - t0
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
    t_ready = time.perf_counter() - t0
    in_page = page.evaluate("window.rekg.readyAt") / 1000
    # what a user does next: find an actor, focus it, and the frame that draws it
    target = view["nodes"][len(view["nodes"]) // 2]["id"]
    t_focus = page.evaluate("""(id) => new Promise(done => {
        const t = performance.now();
        window.network.once('afterDrawing', () => done((performance.now() - t) / 1000));
        window.rekg.focusNode(id);
    })""", target)
    t_frame = page.evaluate("""() => new Promise(done => {
        const t = performance.now();
        window.network.once('afterDrawing', () => done((performance.now() - t) / 1000));
        window.network.fit({animation: false});
    })""")
    page.close()
    if errors:
        raise SystemExit(f"{n} actors: page errors: {errors[:3]}")
    return {"actors": n, "relations": len(view["edges"]), "layout": view["layout"],
            "mb": path.stat().st_size / 1e6, "build_s": t_build, "write_s": t_write,
            "ready_s": t_ready, "ready_in_page_s": in_page, "focus_s": t_focus, "full_frame_s": t_frame}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    ap.add_argument("--budget", type=float, default=10.0, help="seconds the largest page may take")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="rekg-bench-") as tmp, chromium_context() as context:
        for n in args.sizes:
            rows.append(measure(context, n, Path(tmp)))
            r = rows[-1]
            print(f"{r['actors']:>6} actors {r['relations']:>6} relations  {r['layout']:7s} "
                  f"page {r['mb']:5.1f} MB | python: build+layout {r['build_s']:6.2f} s, html "
                  f"{r['write_s']:5.2f} s | chromium: drawn and stable {r['ready_s']:6.2f} s "
                  f"(in page {r['ready_in_page_s']:.2f} s), search+focus {r['focus_s']:.2f} s, "
                  f"full redraw {r['full_frame_s']:.2f} s", flush=True)
        if context.blocked:
            print(f"blocked network requests: {context.blocked}", file=sys.stderr)
            return 1
    worst = max(rows, key=lambda r: r["actors"])
    usable = worst["build_s"] + worst["write_s"] + worst["ready_s"]
    ok = worst["ready_s"] <= args.budget
    print(f"largest page ({worst['actors']} actors) usable in the browser after {worst['ready_s']:.2f} s "
          f"(budget {args.budget:g} s): {'OK' if ok else 'TOO SLOW'}; render command + browser "
          f"{usable:.2f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrowserMissing as exc:
        sys.exit(str(exc))
