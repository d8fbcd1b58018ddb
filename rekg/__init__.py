"""rekg: a knowledge graph of the rare-earth industry's actors."""

__version__ = "0.1.0"
