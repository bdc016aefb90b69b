"""The registry verbs of `ImagesManager`: pull, push, search, build and registry data.

A mixin: `ImagesManager` provides ``self._session`` (the `Session`), ``self.client`` and
``self.get(name)``.
"""

from __future__ import annotations


class RegistryOperations:
    """pull, push, search, build, get_registry_data (see each method)."""
