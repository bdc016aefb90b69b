"""The manifests domain: `ManifestsManager` and `Manifest` with their asyncio twins
(``client.manifests``: create, get, list, exists, remove; a list's add, remove and
push).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
