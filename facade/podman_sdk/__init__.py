"""podman-sdk: a strongly typed Python SDK for Podman's REST API.

from podman_sdk import PodmanClient

with PodmanClient("unix:///run/podman/podman.sock") as client:
    for image in client.images.list():
        print(image.short_id, image.tags)
"""

# The public names and the module each comes from are listed once, in __init__.pyi (the
# stub type checkers read). Here each loads on first use (PEP 562), as
# libpod_client.models does. No imports at module level: they would cost every program.


def _read_exports() -> dict[str, str]:
    """name -> module, from the stub's ``from <module> import <Name> as <Name>`` lines
    (tests/unit/test_exported_members.py checks them against a full parse)."""
    exports: dict[str, str] = {}
    with open(__file__.removesuffix(".py") + ".pyi", encoding="utf-8") as stub:
        for line in stub:
            words = line.split()
            if words[:1] == ["from"]:
                _from, module, _import, _name, _as, alias = words
                exports[alias] = module
    return exports


_EXPORTS = _read_exports()

# In ruff's order (RUF022): the constants first, then everything else sorted.
__all__ = [
    name
    for name in sorted(_EXPORTS, key=lambda name: (not name.isupper(), name))
    if not name.startswith("_")
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'podman_sdk' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
