"""The networks domain: `NetworksManager` and `Network` with their asyncio twins
(``client.networks``: create, get, list, exists, prune, remove; connect, disconnect).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
