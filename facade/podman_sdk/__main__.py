"""``python -m podman_sdk``: the debug CLI, when the ``cli`` extra is installed."""

import sys


def _run() -> None:
    try:
        # Imported here, so that a missing click gets a clear message, not a traceback.
        from podman_sdk._cli import main
    except ModuleNotFoundError as exc:
        if exc.name != "click":
            raise
        print(
            "podman-sdk: the CLI needs click; install it with: pip install 'podman-sdk[cli]'",
            file=sys.stderr,
        )
        sys.exit(2)
    main()


if __name__ == "__main__":
    _run()
