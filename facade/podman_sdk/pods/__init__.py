"""The pods domain: `PodsManager` and `Pod` with their asyncio twins (``client.pods``:
create, get, list, exists, prune, remove, stats; a pod's start, stop, restart, kill,
pause, unpause, top and remove).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
