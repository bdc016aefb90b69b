"""The volumes domain: `VolumesManager` and `Volume` with their asyncio twins
(``client.volumes``: create, get, list, exists, prune, remove, export and import).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
