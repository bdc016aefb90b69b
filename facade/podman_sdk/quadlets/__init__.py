"""The quadlets domain: `QuadletsManager` and `Quadlet` with their asyncio twins
(``client.quadlets``: list, get, exists, install, delete, get_contents, print_contents).
Podman's quadlet routes are newer than Podman 5.4: on an older service every verb raises
`UnsupportedServer` before sending (the send path's gate, ``_core._server_support``).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
