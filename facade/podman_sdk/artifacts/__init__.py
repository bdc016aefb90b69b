"""The artifacts domain: `ArtifactsManager` and `Artifact` with their asyncio twins
(``client.artifacts``: list, get, exists... of Podman's OCI artifacts: add, pull, push,
remove, extract). podman-py has none. Podman's artifact routes are newer than Podman
5.4: on an older service every verb raises `UnsupportedServer` before sending (the send
path's gate, ``_core._server_support``).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
