"""The language pipeline: cleaning, the spaCy pipeline, actor rules, relations, resolution, and their data."""
