"""The README's screenshot (docs/demo.png): the sample corpus's page in headless Chromium, with
an actor found by the search box and one of its relations open in the side panel.

    .venv/bin/python bench/html_screenshot.py                    # writes docs/demo.png
    .venv/bin/python bench/html_screenshot.py -o /tmp/x.png --actor "MP Materials"

Uses the rules-only pipeline (`--model none`), so the picture does not depend on which spaCy
models are installed.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from html_browser import BrowserMissing, chromium_context  # noqa: E402
from rekg.graph.stores.networkx import NetworkxStore  # noqa: E402
from rekg.loaders.extraction.pipeline import Settings  # noqa: E402
from rekg.loaders.ingest import ingest, make_extractor  # noqa: E402
from rekg.queries.render import build_network, write_html  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default=str(ROOT / "docs" / "demo.png"))
    ap.add_argument("--actor", default="Lynas Rare Earths", help="the actor to find and focus")
    ap.add_argument("--relation", default="FUNDS", help="which of its relations to open")
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=860)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="rekg-shot-") as tmp:
        store = NetworkxStore(Path(tmp) / "graph.json")
        report = ingest([ROOT / "examples" / "corpus"], store, make_extractor(Settings(model="none")))
        if report.failed:
            print("\n".join(report.failed), file=sys.stderr)
            return 1
        sub = store.subgraph()
        for doc in sub.documents:  # the checkout's own path is not the reader's business
            if Path(doc.source).is_absolute() and Path(doc.source).is_relative_to(ROOT):
                doc.source = str(Path(doc.source).relative_to(ROOT))
        page_path = write_html(build_network(sub, co_mentions=True, title="rekg demo"), Path(tmp) / "graph.html")
        with chromium_context(args.width, args.height) as context:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_path.resolve().as_uri())
            page.wait_for_selector("body[data-ready]", state="attached", timeout=30_000)
            page.locator("#search-ts-control").click()
            page.keyboard.type(args.actor)
            page.locator(".ts-dropdown .option", has_text=args.actor).first.click()
            page.wait_for_timeout(500)  # the focus animation
            buttons = page.locator("#details .relations button", has_text=args.relation.lower().replace("_", " "))
            if buttons.count():
                buttons.first.click()
            page.evaluate("window.network.moveTo({scale: 0.85, animation: false})")
            page.mouse.move(5, 5)
            page.wait_for_timeout(300)
            out = Path(args.output)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            if errors or context.blocked:
                print(f"page errors {errors}, blocked requests {context.blocked}", file=sys.stderr)
                return 1
    print(out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrowserMissing as exc:
        sys.exit(str(exc))
