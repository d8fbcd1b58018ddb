"""Readers for the formats beyond plain text: HTML, RSS/Atom, PDF, JSONL, curated CSV facts.

Each module has a pure parser (text or bytes in, data out) and a `read_*(data, source)` that
yields `SourceDocument`s (or `CuratedFacts`), `Problem`s for bad parts, and raises InputError
when nothing in the input is usable. They are imported on first use, so a run that reads no
PDF never imports pypdf.
"""
