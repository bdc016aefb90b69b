"""The ``podman-sdk`` command group, its global options and how failures end.

Shell completion comes from click: ``podman-sdk completion bash`` prints the script
(also zsh and fish).
"""

from __future__ import annotations

import traceback
from dataclasses import replace
from typing import Any

import click
from click.shell_completion import get_completion_class

from podman_sdk._cli.api import api
from podman_sdk._cli.connect import Settings, settings
from podman_sdk._cli.doctor import doctor
from podman_sdk._cli.failure import exit_code_for, is_handled, one_line
from podman_sdk._cli.images import images
from podman_sdk._cli.output import emit_json
from podman_sdk._cli.registry import build, pull, push, search
from podman_sdk._cli.streams import events, logs
from podman_sdk._cli.system import info, version
from podman_sdk._cli.trace import mask_secrets
from podman_sdk._cli.transfer import load, save

PROG_NAME = "podman-sdk"
COMPLETE_VAR = "_PODMAN_SDK_COMPLETE"


class _Group(click.Group):
    """Ends every SDK error with one line on stderr and its exit code; the traceback
    only under ``--trace``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except Exception as exc:
            if not is_handled(exc):
                raise
            found = ctx.find_object(Settings)
            secrets = found.secrets if found is not None else set()
            if found is not None and found.trace:
                click.echo(mask_secrets(traceback.format_exc(), secrets), err=True, nl=False)
            click.echo(f"{PROG_NAME}: error: {mask_secrets(one_line(exc), secrets)}", err=True)
            ctx.exit(exit_code_for(exc))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--url",
    metavar="URL",
    help="Service to use: unix:///path, tcp://host:port, http(s)://, ssh://user@host/path.",
)
@click.option(
    "--connection", metavar="NAME", help="A named connection from podman's configuration."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Timeout for ordinary calls (default 60).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")
@click.option(
    "--trace", is_flag=True, help="Print the HTTP transcript on stderr (credentials redacted)."
)
@click.pass_context
def cli(
    ctx: click.Context,
    *,
    url: str | None,
    connection: str | None,
    timeout: float | None,
    as_json: bool,
    trace: bool,
) -> None:
    """Troubleshoot a Podman service through podman-sdk.

    Without --url or --connection the service is found as PodmanClient.from_env()
    finds it; `podman-sdk doctor` shows where it looked. Exit codes: 0 success,
    1 the server refused, 2 bad usage or input, 3 cannot connect.
    """
    if url is not None and connection is not None:
        raise click.UsageError("give --url or --connection, not both")
    # A caller may pass its own Settings as ``obj`` (tests do, with a mock transport).
    base = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    ctx.obj = replace(
        base, url=url, connection=connection, timeout=timeout, as_json=as_json, trace=trace
    )


@cli.command(short_help="Print the shell completion script.")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script, e.g. eval "$(podman-sdk completion bash)"."""
    completion_class = get_completion_class(shell)
    assert completion_class is not None  # the Choice admits only shells click knows
    script = completion_class(cli, {}, PROG_NAME, COMPLETE_VAR).source()
    if settings().as_json:
        emit_json({"shell": shell, "script": script})
        return
    click.echo(script)


cli.add_command(doctor)
cli.add_command(version)
cli.add_command(info)
cli.add_command(images)
cli.add_command(logs)
cli.add_command(events)
cli.add_command(api)
images.add_command(save)
images.add_command(load)
for registry_command in (pull, push, search, build):
    images.add_command(registry_command)


def main() -> None:
    """The console script's entry point."""
    cli.main(prog_name=PROG_NAME, complete_var=COMPLETE_VAR)
