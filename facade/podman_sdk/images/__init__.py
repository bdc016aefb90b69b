"""The images domain: `ImagesManager` and `Image` with their asyncio twins, and
what they stream (pull, push, build progress; save and load archives).

Every public name is exported by `podman_sdk` itself; the modules here are private.
"""
