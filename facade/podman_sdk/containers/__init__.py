"""Containers: ``client.containers`` (`ContainersManager`, `AsyncContainersManager`)
and the `Container` / `AsyncContainer` it hands out.

Its public names are exported by ``podman_sdk`` (``facade/podman_sdk/__init__.pyi``); this
package imports nothing, so that loading one name does not load the whole domain.
"""
