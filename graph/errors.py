"""The exceptions every part of rekg raises; the CLI turns each into one line and an exit code."""
from __future__ import annotations


class RekgError(Exception):
    """Base class: an expected failure a user can act on."""


class InputError(RekgError):
    """A document or data file could not be read or parsed."""


class StoreError(RekgError):
    """The graph store could not be opened, read or written."""


class StoreUnavailable(StoreError):
    """The graph database is not reachable."""


class QueryError(RekgError):
    """A named query got bad parameters or could not run."""


class NotFound(QueryError):
    """A name matched no entity."""


class Ambiguous(QueryError):
    """A name matched more than one entity."""
