"""The ``podman-sdk`` debug CLI (``python -m podman_sdk``), installed by the ``cli`` extra.

Only this subpackage imports click; ``import podman_sdk`` never does.

- `main`: the command group, global options, exit codes on failure;
- `connect`: which endpoint, and the one client per command;
- `doctor`, `system` (version, info), `images`, `transfer` (save, load),
  `registry` (pull, push, search, build), `streams` (logs, events), `api` (any generated
  operation; its NAME=VALUE reading in `arguments`): the commands;
- `output`: tables, sizes, ages, JSON, progress; `trace`: the ``--trace`` transcript;
  `failure`: exit codes and one-line errors.
"""

from podman_sdk._cli.main import cli, main

__all__ = ["cli", "main"]
