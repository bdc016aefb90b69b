"""The secrets domain: `SecretsManager` and `Secret` with their asyncio twins
(``client.secrets``: create, get, list, exists, remove).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
