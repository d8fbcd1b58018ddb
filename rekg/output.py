"""Formatting rows for the terminal: table, JSON, CSV, JSON lines. Data goes to stdout."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

FORMATS = ("table", "json", "csv", "jsonl")


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if value is None:
        return ""
    text = str(value)
    # document text is data: no terminal control sequences reach the screen
    return "".join(c if c.isprintable() else " " for c in text)


def format_rows(rows: list[dict[str, Any]], fmt: str = "table", max_width: int = 60) -> str:
    """Rows as a table, JSON, CSV or JSON lines."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    cols: list[str] = []
    for r in rows:
        cols.extend(k for k in r if k not in cols)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in cols])
        return buf.getvalue().rstrip("\n")
    if not rows:
        return "(no rows)"
    cells = [[_cell(r.get(c))[:max_width] for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)
