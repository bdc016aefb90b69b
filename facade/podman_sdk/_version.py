"""The SDK's release. pyproject.toml reads it from here (hatch's dynamic version), so the
wheel's metadata and ``podman_sdk.__version__`` cannot disagree; a module of its own so
that the Makefile reinstalls .venv's editable install, whose metadata holds it, when it
changes."""

__version__ = "0.1.0"
