"""The system domain: `SystemManager` and its asyncio twin (``client.system``: df, info,
login, ping, version, which the client also offers as its own methods) and the event
stream (``client.events()``).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
