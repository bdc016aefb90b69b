"""`make demo`: the whole SDK and its CLI, working, on a private Podman service.

Starts ``podman system service`` with its own storage, config and socket in a new
temporary directory (nothing of the user's is read or touched), builds a small image
offline (with the host's static busybox in it, so it runs), walks through the SDK
(images; containers: run with output, exec with split stdout/stderr and exit code,
follow logs, remove) and the ``podman-sdk`` CLI (doctor, list, inspect, history, tag,
save with progress and checksum, remove, load, same id), then stops the service by its
PID, unmounts what it left and deletes the directory.

Prints one line per step; exits 0 only if every step did what it should.

    .venv/bin/python scripts/demo.py [--keep]    (--keep: leave the directory, for a look)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from podman_sdk import ImageNotFound, PodmanClient

DEMO_IMAGE = "localhost/podman-sdk-demo:1"
BUSYBOX = Path("/bin/busybox")  # static on Debian (busybox-static): runs FROM scratch
SH = ["/bin/busybox", "sh", "-c"]
STATE_PREFIX = "podman-sdk-demo-"
START_TIMEOUT = 60.0
CLI = Path(sys.executable).with_name("podman-sdk")

CONFIGS = {
    "storage.conf": '[storage]\ndriver = "overlay"\ngraphroot = "{d}/root"\nrunroot = "{d}/runroot"\n',
    "registries.conf": 'unqualified-search-registries = []\nshort-name-mode = "permissive"\n',
    # Containers start on any host so: without cgroups (hybrid layouts), without a
    # network (no bridge needed), with ulimits within any hard limit.
    "containers.conf": (
        '[containers]\nlog_driver = "k8s-file"\ncgroups = "disabled"\nnetns = "none"\n'
        'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n'
        '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
        'events_logfile_path = "{d}/events.log"\nlock_type = "file"\n'
        'static_dir = "{d}/root/libpod"\nvolume_path = "{d}/root/volumes"\ntmp_dir = "{d}/tmp"\n'
        '[network]\nnetwork_config_dir = "{d}/networks"\n'
    ),
}


class StepFailed(Exception):
    """A step did not do what it should; the message says what happened instead."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


# -- the private service ---------------------------------------------------------------


class PrivateService:
    """``podman system service`` with every path below ``state``."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.socket = state / "podman.sock"
        self.url = f"unix://{self.socket}"
        self.log = state / "service.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        d = str(self.state)
        for sub in ("root", "runroot", "tmp", "networks", "home"):
            (self.state / sub).mkdir()
        for name, text in CONFIGS.items():
            (self.state / name).write_text(text.format(d=d))
        env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
            "HOME": f"{d}/home",
            "TMPDIR": f"{d}/tmp",
            "XDG_RUNTIME_DIR": f"{d}/runroot",
            "XDG_CONFIG_HOME": f"{d}/home/.config",
            "CONTAINERS_STORAGE_CONF": f"{d}/storage.conf",
            "CONTAINERS_REGISTRIES_CONF": f"{d}/registries.conf",
            "CONTAINERS_CONF": f"{d}/containers.conf",
            "PODMAN_IGNORE_CGROUPSV1_WARNING": "1",
        }
        argv = [
            *_cgroup2_namespace(),
            "podman",
            "--root",
            f"{d}/root",
            "--runroot",
            f"{d}/runroot",
            "--tmpdir",
        ]
        argv += [f"{d}/tmp", "system", "service", "--time=0", self.url]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        # What a later run needs to clean up after this one if it is killed outright.
        (self.state / "service.pid").write_text(f"{self.process.pid}\n")
        return self._wait_ready()

    def _wait_ready(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise StepFailed(
                    f"the service exited with {self.process.returncode}:\n{self.tail()}"
                )
            if self.socket.exists():
                try:
                    with PodmanClient(self.url, timeout=5) as client:
                        found = client.version().get("Version", "?")
                        return f"Podman {found} answers on {self.socket}"
                except Exception:
                    pass
            time.sleep(0.1)
        raise StepFailed(f"no answer on {self.socket} in {START_TIMEOUT:.0f} s:\n{self.tail()}")

    def tail(self) -> str:
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return "\n".join(lines[-15:])

    def stop(self) -> None:
        """TERM by PID, then KILL its process group if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _cgroup2_namespace() -> list[str]:
    """On a host with hybrid cgroups (v1 and v2), a private mount namespace with the v2
    tree over /sys/fs/cgroup, which crun needs; nothing elsewhere."""
    if not Path("/sys/fs/cgroup/unified").is_dir():
        return []
    script = 'mount --bind /sys/fs/cgroup/unified /sys/fs/cgroup && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "cgroup2"]


def mounts_below(path: Path) -> list[str]:
    out = subprocess.run(
        ["findmnt", "-rn", "-o", "TARGET"], check=True, capture_output=True, text=True
    ).stdout
    root = str(path.resolve())
    targets = [line.encode().decode("unicode_escape") for line in out.splitlines()]
    found = [t for t in targets if t == root or t.startswith(root + "/")]
    return sorted(found, key=len, reverse=True)


def remove_state(path: Path) -> None:
    """Unmount what the service left (its overlay mounts), confirm, then delete."""
    for _ in range(5):
        left = mounts_below(path)
        if not left:
            break
        for target in left:
            subprocess.run(["umount", "-R", target], check=False, capture_output=True)
    left = mounts_below(path)
    if left:
        raise StepFailed(f"still mounted below {path}, not deleting: {', '.join(left)}")
    shutil.rmtree(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_stale(parent: Path, prefix: str) -> None:
    """Remove what a demo killed outright (SIGKILL) left: a directory whose owning
    process is gone. Its service is stopped only if its command line still names that
    directory (never a reused PID), then everything is unmounted and deleted."""
    for state in parent.glob(f"{prefix}*"):
        try:
            owner = int((state / "owner.pid").read_text())
        except (OSError, ValueError):
            continue  # never claimed: not ours to judge
        if _alive(owner):
            continue
        try:
            pid = int((state / "service.pid").read_text())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            if str(state) in cmdline:
                os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 10
                while _alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
        remove_state(state)


# -- the steps -------------------------------------------------------------------------


def build_image(url: str, work: Path) -> str:
    """Build FROM scratch through the SDK: no registry, no network."""
    context = work / "context"
    context.mkdir()
    (context / "Containerfile").write_text(
        "FROM scratch\nCOPY hello.txt /hello.txt\nCOPY busybox /bin/busybox\n"
        "LABEL demo=podman-sdk\n"
    )
    check(BUSYBOX.is_file(), f"{BUSYBOX} is missing: install a static busybox (busybox-static)")
    shutil.copy(BUSYBOX, context / "busybox")
    (context / "hello.txt").write_bytes(b"hello from podman-sdk\n" + os.urandom(64 * 1024))
    with PodmanClient(url) as client, client.images.build_stream(context, tag=DEMO_IMAGE) as log:
        steps = [line["stream"] for line in log if line.get("stream", "").startswith("STEP")]
        image = log.image()
    check(DEMO_IMAGE in image.tags, f"the built image is not tagged {DEMO_IMAGE}: {image.tags}")
    return f"{DEMO_IMAGE} ({image.short_id}, {len(steps)} steps)"


def sdk_walk(url: str, work: Path) -> str:
    with PodmanClient(url) as client:
        image = client.images.get(DEMO_IMAGE)
        listed = [found.id for found in client.images.list()]
        check(image.id in listed, f"{image.short_id} missing from images.list(): {listed}")
        layers = image.history()
        check(any("COPY" in layer["CreatedBy"] for layer in layers), f"no COPY layer: {layers}")
        check(image.tag("localhost/podman-sdk-demo", "sdk"), "tag returned False")
        saved = image.save_to(work / "sdk.tar")
        on_disk = hashlib.sha256(saved.path.read_bytes()).hexdigest()
        check(saved.sha256 == on_disk, f"sha256 {saved.sha256} but the file hashes to {on_disk}")
        client.images.remove(image.id, force=True)
        check(not client.images.exists(image.id), "the image is still there after remove")
        try:
            client.images.get(DEMO_IMAGE)
            raise StepFailed("get() of a removed image did not raise ImageNotFound")
        except ImageNotFound:
            pass
        loaded = client.images.load(file_path=saved.path)
        check([found.id for found in loaded] == [image.id], f"loaded {loaded}, not {image.id}")
        # Saved by id, the archive names nothing: give the loaded image its name back.
        loaded[0].tag(DEMO_IMAGE)
        return f"{image.short_id}, {saved.size} bytes, sha256 {saved.sha256[:16]}..."


def containers_walk(url: str) -> str:
    with PodmanClient(url) as client:
        output = client.containers.run(DEMO_IMAGE, [*SH, "head -n 1 /hello.txt"], remove=True)
        check(output == b"hello from podman-sdk\n", f"run() gave {output!r}")
        script = "echo started; sleep 1; echo finished; echo warning >&2"
        container = client.containers.run(DEMO_IMAGE, [*SH, script], detach=True)
        code, (out, err) = container.exec_run([*SH, "echo out; echo err >&2; exit 3"], demux=True)
        check((code, out, err) == (3, b"out\n", b"err\n"), f"exec gave {code}, {out!r}, {err!r}")
        followed = [(frame.stream, frame.data) for frame in container.log_frames()]
        expected = [(1, b"started\n"), (1, b"finished\n"), (2, b"warning\n")]
        check(sorted(followed) == sorted(expected), f"followed log {followed}")
        status = container.wait()
        check(status == 0, f"exit code {status}")
        container.remove()
        check(not client.containers.exists(container.id), "the container is still there")
        return f"ran {output!r}; exec exit {code}, stdout {out!r}, stderr {err!r}; followed {len(followed)} frames; removed"


def cli(
    url: str, *args: str, expect: int = 0, show_url: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the installed command (--url is left out of the echo unless asked: it is
    always the private service's socket)."""
    shown = " ".join(["podman-sdk", *(["--url", url] if show_url else []), *args])
    print(f"        $ {shown}" + (f"   (exit {expect} expected)" if expect else ""), flush=True)
    done = subprocess.run(
        [str(CLI), "--url", url, *args], capture_output=True, text=True, check=False, timeout=300
    )
    check(
        done.returncode == expect,
        f"`{shown}` exited {done.returncode}, not {expect}:\n{done.stdout}{done.stderr}",
    )
    return done


def cli_walk(url: str, work: Path) -> str:
    check(CLI.exists(), f"{CLI} is not installed: run `make demo` (it installs the cli extra)")
    doctor = json.loads(cli(url, "--json", "doctor").stdout)
    check(doctor["answers"] and doctor["error"] is None, f"doctor: {doctor}")
    image_id = json.loads(cli(url, "--json", "images", "inspect", DEMO_IMAGE).stdout)[0]["Id"]
    listed = json.loads(cli(url, "--json", "images", "ls").stdout)
    check(image_id in [entry["Id"] for entry in listed], "images ls does not list the image")
    check("COPY" in cli(url, "images", "history", DEMO_IMAGE).stdout, "history shows no COPY")
    cli(url, "images", "tag", DEMO_IMAGE, "localhost/podman-sdk-demo:cli")
    archive = work / "cli.tar"
    saved = cli(url, "--json", "images", "save", DEMO_IMAGE, "--named", "-o", str(archive))
    report = json.loads(saved.stdout)
    on_disk = hashlib.sha256(archive.read_bytes()).hexdigest()
    check(report["Sha256"] == on_disk, f"save printed {report['Sha256']}, file is {on_disk}")
    cli(url, "images", "rm", "--force", image_id)
    cli(url, "images", "inspect", DEMO_IMAGE, expect=1)  # gone: the server refuses
    loaded = cli(url, "images", "load", "-i", str(archive)).stdout
    check(DEMO_IMAGE in loaded, f"load did not report {DEMO_IMAGE}: {loaded}")
    again = json.loads(cli(url, "--json", "images", "inspect", DEMO_IMAGE).stdout)[0]["Id"]
    check(again == image_id, f"loaded id {again} differs from saved id {image_id}")
    traced = cli(url, "--trace", "images", "ls")
    check("< 200 OK" in traced.stderr, "--trace printed no HTTP transcript")
    cli("unix:///nonexistent/podman.sock", "doctor", expect=3, show_url=True)
    return f"doctor, ls, inspect, history, tag, save (sha256 {on_disk[:16]}...), rm, load"


def run_step(name: str, action: Callable[[], str], results: list[bool]) -> str | None:
    print(f"- {name}", flush=True)
    started = time.monotonic()
    try:
        detail = action()
    except Exception as exc:
        print(f"  FAILED: {exc}", flush=True)
        results.append(False)
        return None
    print(f"  ok: {detail} ({time.monotonic() - started:.1f} s)", flush=True)
    results.append(True)
    return detail


def _interrupt(signum: int, frame: object) -> None:
    # A TERM (a stopped job) must still clean up: make it an ordinary interrupt.
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="leave the temporary directory")
    options = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    parent = Path(os.path.realpath(tempfile.gettempdir()))
    clear_stale(parent, STATE_PREFIX)
    state = Path(tempfile.mkdtemp(prefix=STATE_PREFIX, dir=parent))
    (state / "owner.pid").write_text(f"{os.getpid()}\n")
    service = PrivateService(state)
    print(f"podman-sdk demo: a private Podman service in {state} (nothing of yours is touched)")
    results: list[bool] = []
    try:
        version = run_step("start the service", service.start, results)
        if version is not None:
            run_step("build an image offline", lambda: build_image(service.url, state), results)
        if all(results):
            run_step("SDK: list, inspect, history, tag, save, remove, load", lambda: sdk_walk(service.url, state), results)  # fmt: skip
            run_step("SDK containers: run, exec, follow logs, remove", lambda: containers_walk(service.url), results)  # fmt: skip
            run_step("CLI: the same, through podman-sdk", lambda: cli_walk(service.url, state), results)  # fmt: skip
    finally:
        service.stop()
        if options.keep:
            (state / "owner.pid").unlink()  # kept on purpose: later runs leave it alone
            print(f"- kept {state} (unmount what is mounted below it before deleting it)")
        else:
            run_step("stop the service and clean up", lambda: _clean(state), results)
    steps = 5 if options.keep else 6
    passed = all(results) and len(results) == steps
    print(f"demo {'passed' if passed else 'FAILED'}: {sum(results)} of {steps} steps ok")
    return 0 if passed else 1


def _clean(state: Path) -> str:
    remove_state(state)
    check(not state.exists(), f"{state} is still there")
    return "no mounts left, directory deleted"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
