"""podman-sdk: a strongly typed Python SDK for Podman's REST API."""

__all__: list[str] = []
