"""Interactive HTML of a subgraph: pyvis builds the network, our own template writes a page
with vis-network inlined, so it opens with no network.

`build_network` is pure and tested without a browser; `write_html` only writes.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from pyvis.network import Network

from graph.model import Subgraph
from graph.schema import CO_MENTIONED

COLORS = {"Organization": "#1f77b4", "Person": "#d62728", "Policy": "#2ca02c", "Place": "#ff7f0e"}
SHAPES = {"Organization": "dot", "Person": "diamond", "Policy": "square", "Place": "triangle"}
_LIB = Path(__import__("pyvis").__file__).parent / "lib" / "vis-9.1.2"


def build_network(sub: Subgraph, *, co_mentions: bool = False) -> Network:
    """A pyvis Network of `sub`: a colour and shape per type, tooltips as plain text."""
    net = Network(directed=True, cdn_resources="in_line")
    for e in sub.entities:
        tip = f"{e.name}\n{e.type}" + (f"\naliases: {', '.join(e.aliases)}" if e.aliases else "")
        net.add_node(e.id, label=e.name, title=tip, color=COLORS[e.type], shape=SHAPES[e.type],
                     group=e.type)
    for r in sub.relations:
        if r.type == CO_MENTIONED and not co_mentions:
            continue
        label = r.type + (f" ({r.title})" if r.title else "")
        tip = label + "".join(f"\n• {s}" for s in r.evidence)
        net.add_edge(r.head, r.tail, label=r.type, title=tip, arrows="to")
    return net


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{css}
body{{margin:0;font-family:sans-serif}}#graph{{width:100vw;height:100vh}}</style>
<script>{js}</script></head>
<body><div id="graph"></div>
<script type="application/json" id="graph-data">{data}</script>
<script>
const data = JSON.parse(document.getElementById('graph-data').textContent);
function asText(s) {{ const d = document.createElement('div'); d.innerText = s; return d; }}
for (const n of data.nodes) if (n.title) n.title = asText(n.title);
for (const e of data.edges) if (e.title) e.title = asText(e.title);
window.network = new vis.Network(document.getElementById('graph'),
  {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}},
  {{physics: {{stabilization: {{iterations: 300}}}}, edges: {{font: {{size: 9}}}}}});
window.network.once('stabilizationIterationsDone', () => window.network.setOptions({{physics: false}}));
</script></body></html>
"""


def to_html(net: Network, title: str = "rekg graph") -> str:
    """The page for `net`: data as JSON (never HTML), scripts and styles inline."""
    data = json.dumps({"nodes": net.nodes, "edges": net.edges}, ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _PAGE.format(title=html.escape(title), css=(_LIB / "vis-network.css").read_text(),
                        js=(_LIB / "vis-network.min.js").read_text(), data=data)


def write_html(net: Network, path: str | Path, title: str = "rekg graph") -> Path:
    """Write the page for `net` to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_html(net, title), encoding="utf-8")
    return path
