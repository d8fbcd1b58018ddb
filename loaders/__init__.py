"""documents -> graph: sources, cleaning, the spaCy pipeline, relation rules, resolution, ingest."""
