"""Readers of one keyword's value: each checks the value a caller gave and returns it in
the shape Podman's server decodes (its Go ``specgen.SpecGenerator``), or raises
`InvalidArgument` naming the keyword. ``name`` is the keyword, or the path inside its
value (``mounts[0]['target']``), that an error names.

The ``set_*`` readers write more than one field, into the body being built.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence

from podman_sdk._exceptions import InvalidArgument
from podman_sdk.containers._create_types import Mount, NetworkEndpoint

#: The JSON body being built: ``SpecGenerator.to_dict()``'s shape.
Body = dict[str, object]
#: A reader of one value: ``(keyword, value) -> the value to send``.
Read = Callable[[str, object], object]


def shown(value: object) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def as_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}= must be a bool, not {shown(value)}")
    return value


def as_int(name: str, value: object, minimum: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidArgument(f"{name}= must be an int, not {shown(value)}")
    if minimum is not None and value < minimum:
        raise InvalidArgument(f"{name}= must be at least {minimum}, not {value}")
    return value


def as_uint(name: str, value: object) -> int:
    return as_int(name, value, minimum=0)


def as_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidArgument(f"{name}= must be a str, not {shown(value)}")
    return value


def as_pod(name: str, value: object) -> str:
    """A pod's name or id, or a `Pod` (podman-py sends its id)."""
    from podman_sdk.pods._pod import PodBase

    return value.id if isinstance(value, PodBase) else as_str(name, value)


def as_sequence(name: str, value: object) -> Sequence[object]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidArgument(f"{name}= must be a list, not {shown(value)}")
    return value


def as_strings(name: str, value: object) -> list[str]:
    return [as_str(f"{name}[{i}]", item) for i, item in enumerate(as_sequence(name, value))]


def as_mapping(name: str, value: object) -> Mapping[object, object]:
    if not isinstance(value, Mapping):
        raise InvalidArgument(f"{name}= must be a dict, not {shown(value)}")
    return value


def as_str_map(name: str, value: object) -> dict[str, str]:
    return {
        as_str(f"{name} key", key): as_str(f"{name}[{key!r}]", item)
        for key, item in as_mapping(name, value).items()
    }


def as_command(name: str, value: object) -> list[str]:
    if isinstance(value, str):
        # podman-py sends a string as one argv word ("echo hi" is then not found);
        # docker-py splits it as a shell would, which is what a caller means.
        try:
            return shlex.split(value)
        except ValueError as error:
            raise InvalidArgument(f"{name}= {value!r} does not split: {error}") from None
    return as_strings(name, value)


_SIZE = re.compile(r"(\d+)([bkmg]?)", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def as_size(name: str, value: object) -> int:
    """Bytes from an int or podman-py's ``"<digits>[bkmg]"`` (binary units)."""
    if isinstance(value, str):
        match = _SIZE.fullmatch(value.strip())
        if match is None:
            raise InvalidArgument(f"{name}= {value!r} is not a size like 1000, '128m' or '1g'")
        return int(match[1]) * _SIZE_UNITS[match[2].lower()]
    return as_uint(name, value)


_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_DURATION_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "ms": 1_000_000,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}


def as_duration(name: str, value: object) -> int:
    """Nanoseconds from a Go duration string (``"30s"``, ``"1m30s"``, ``"0"``)."""
    text = as_str(name, value)
    if text == "0":
        return 0
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        raise InvalidArgument(f"{name}= {text!r} is not a duration like '30s' or '1m30s'")
    return round(sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts))


# Linux's numbers: the server runs on Linux whatever the client's platform.
_SIGNALS = {
    "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7, "FPE": 8,
    "KILL": 9, "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14, "TERM": 15,
    "STKFLT": 16, "CHLD": 17, "CONT": 18, "STOP": 19, "TSTP": 20, "TTIN": 21, "TTOU": 22,
    "URG": 23, "XCPU": 24, "XFSZ": 25, "VTALRM": 26, "PROF": 27, "WINCH": 28, "IO": 29,
    "POLL": 29, "PWR": 30, "SYS": 31, "RTMIN": 34, "RTMAX": 64,
}  # fmt: skip


def as_signal(name: str, value: object) -> int:
    """A Linux signal number from a number, ``"SIGTERM"``, ``"term"`` or ``"RTMIN+3"``.

    podman-py sends the name, which the server's ``syscall.Signal`` cannot decode."""
    if isinstance(value, str):
        text = value.strip().upper().removeprefix("SIG")
        if text.isdigit():
            value = int(text)
        else:
            match = re.fullmatch(r"(RTMIN|RTMAX)([+-]\d+)?", text)
            if match:
                number = _SIGNALS[match[1]] + int(match[2] or 0)
                if 34 <= number <= 64:
                    return number
            elif text in _SIGNALS:
                return _SIGNALS[text]
            raise InvalidArgument(f"{name}= {value!r} is not a Linux signal")
    number = as_int(name, value)
    if not 1 <= number <= 64:
        raise InvalidArgument(f"{name}= {number} is not a Linux signal number (1-64)")
    return number


# ---------------------------------------------------------------- namespaces


def as_namespace(name: str, value: object, own_modes: Sequence[str] = ()) -> dict[str, str]:
    """A `Namespace` from Podman's namespace syntax (its ``specgen.ParseNamespace``).

    podman-py sends ``{"nsmode": "container:<id>"}``, a mode the server refuses."""
    text = as_str(name, value)
    for prefix, mode in (("container:", "container"), ("ns:", "path")):
        if text.startswith(prefix) and text != prefix:
            return {"nsmode": mode, "value": text[len(prefix) :]}
    mode, _, option = text.partition(":")
    if text in ("host", "private", "pod", *own_modes):
        return {"nsmode": text}
    if option and mode in ("auto", "keep-id") and mode in own_modes:
        return {"nsmode": mode, "value": option}
    modes = ", ".join(("host", "private", "pod", *own_modes, "container:<id>", "ns:<path>"))
    raise InvalidArgument(f"{name}= {text!r} is not a namespace mode ({modes})")


_NAMED = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")


def set_network_mode(body: Body, name: str, value: object) -> None:
    text = as_str(name, value)
    mode, _, option = text.partition(":")
    if text in ("bridge", "none", "host", "private", "pod"):
        body["netns"] = {"nsmode": text}
    elif mode in ("slirp4netns", "pasta"):
        body["netns"] = {"nsmode": mode}
        if option:
            section(body, "network_options")[mode] = option.split(",")
    elif mode in ("container", "ns") and option:
        body["netns"] = as_namespace(name, text)
    elif _NAMED.fullmatch(text):
        # Docker's network_mode may name a network: that is bridge mode on that network.
        body["netns"] = {"nsmode": "bridge"}
        section(body, "Networks").setdefault(text, {})
    else:
        raise InvalidArgument(
            f"{name}= {text!r} is not a network mode (bridge, none, host, private, pod, "
            "slirp4netns[:options], pasta[:options], container:<id>, ns:<path>, a network name)"
        )


def section(body: Body, *path: str) -> Body:
    """The object at ``path`` in ``body``, created empty where missing."""
    node = body
    for key in path:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    return node


# ---------------------------------------------------------------- structured values


def as_environment(name: str, value: object) -> dict[str, str]:
    if isinstance(value, Mapping):
        return as_str_map(name, value)
    env: dict[str, str] = {}
    for entry in as_strings(name, value):
        key, equals, item = entry.partition("=")
        if not equals or not key.strip():
            raise InvalidArgument(f"{name}= entry {entry!r} is not in the form KEY=value")
        env[key] = item
    return env


def as_labels(name: str, value: object) -> dict[str, str]:
    if isinstance(value, Mapping):
        return as_str_map(name, value)
    # A list names labels with empty values; podman-py sends the list as it is, which
    # the server's map[string]string cannot decode.
    return dict.fromkeys(as_strings(name, value), "")


def as_user(name: str, value: object) -> str:
    return str(as_uint(name, value)) if isinstance(value, int) else as_str(name, value)


def as_groups(name: str, value: object) -> list[str]:
    return [as_user(f"{name}[{i}]", item) for i, item in enumerate(as_sequence(name, value))]


def as_extra_hosts(name: str, value: object) -> list[str]:
    return [f"{host}:{ip}" for host, ip in as_str_map(name, value).items()]


def as_devices(name: str, value: object) -> list[dict[str, str]]:
    # The server splits <host>:<container>:<permissions> itself (DevicesFromPath).
    return [{"path": path} for path in as_strings(name, value)]


_CGROUP_RULE = re.compile(r"([abc]) (\*|\d+):(\*|\d+) ([rwm]{1,3})")


def as_device_cgroup_rules(name: str, value: object) -> list[dict[str, object]]:
    """Docker's ``"c 1:3 mr"`` rules, parsed as Podman's CLI does for the server."""
    rules: list[dict[str, object]] = []
    for rule in as_strings(name, value):
        match = _CGROUP_RULE.fullmatch(rule)
        if match is None:
            raise InvalidArgument(f"{name}= {rule!r} is not a rule like 'c 1:3 mr'")
        parsed: dict[str, object] = {"allow": True, "type": match[1], "access": match[4]}
        for key, number in (("major", match[2]), ("minor", match[3])):
            if number != "*":
                parsed[key] = int(number)
        rules.append(parsed)
    return rules


def as_path_map(name: str, value: object, key: str, field: str) -> dict[str, dict[str, int]]:
    """``[{"Path": p, key: n}]`` as the server's map of device path to ``{field: n}``."""
    devices: dict[str, dict[str, int]] = {}
    for i, entry in enumerate(as_sequence(name, value)):
        item = as_mapping(f"{name}[{i}]", entry)
        check_keys(f"{name}[{i}]", item, ("Path", key))
        path = as_str(f"{name}[{i}]['Path']", item.get("Path"))
        devices[path] = {field: as_uint(f"{name}[{i}][{key!r}]", item.get(key))}
    return devices


def check_keys(name: str, keys: Iterable[object], allowed: Sequence[str]) -> None:
    """Raise naming the first of ``keys`` (a dict's) that ``allowed`` does not list."""
    for key in keys:
        if key not in allowed:
            raise InvalidArgument(f"{name} has key {key!r}; the keys are {', '.join(allowed)}")


def lowered_keys(name: str, item: Mapping[object, object]) -> dict[str, object]:
    return {as_str(f"{name} key", key).lower(): value for key, value in item.items()}


def as_mount(name: str, entry: object) -> dict[str, object]:
    """One podman-py mount dict as a Linux mount: keys case-insensitive, flags as options."""
    item = lowered_keys(name, as_mapping(name, entry))
    check_keys(name, item, tuple(key.lower() for key in Mount.__annotations__))
    kind = as_str(f"{name}['type']", item.get("type"))
    target = as_str(f"{name}['target']", item.get("target"))
    source = item.get("source", "tmpfs" if kind == "tmpfs" else None)
    options: list[str] = []
    for key, value in item.items():
        where = f"{name}[{key!r}]"
        if key == "read_only" and as_bool(where, value):
            options.append("ro")
        elif key == "chown" and as_bool(where, value):
            options.append("U")
        elif key == "relabel":
            options.append(as_choice(where, value, ("z", "Z")))
        elif key == "propagation":
            options.append(as_choice(where, value, _PROPAGATION_CHOICES))
        elif key == "consistency":
            options.append(f"consistency={as_str(where, value)}")
        elif key == "mode":
            # An int is a file mode: written in octal (podman-py writes it in decimal).
            mode = f"{as_uint(where, value):o}" if isinstance(value, int) else as_str(where, value)
            options.append(f"mode={mode}")
        elif key == "size":
            options.append(
                f"size={as_uint(where, value) if isinstance(value, int) else as_str(where, value)}"
            )
    return {
        "type": kind,
        "source": as_str(f"{name}['source']", source),
        "destination": target,
        "options": options,
    }


_PROPAGATION_CHOICES = (
    "private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable",
)  # fmt: skip


def as_choice(name: str, value: object, choices: Sequence[str]) -> str:
    text = as_str(name, value)
    if text not in choices:
        raise InvalidArgument(f"{name}= {text!r} is not one of {', '.join(choices)}")
    return text


def as_tmpfs(name: str, value: object) -> list[dict[str, object]]:
    return [
        {
            "type": "tmpfs",
            "source": "tmpfs",
            "destination": target,
            "options": [option for option in options.split(",") if option],
        }
        for target, options in as_str_map(name, value).items()
    ]


def set_volumes(body: Body, name: str, value: object) -> None:
    """Named volumes go to ``volumes``, host directories to ``mounts`` as binds."""
    for key, entry in as_mapping(name, value).items():
        source = as_str(f"{name} key", key)
        where = f"{name}[{source!r}]"
        item = as_mapping(where, entry)
        check_keys(where, item, ("bind", "mode", "extended_mode"))
        options = as_strings(f"{where}['extended_mode']", item.get("extended_mode", []))
        if "mode" in item:
            options.append(as_str(f"{where}['mode']", item["mode"]))
        target = as_str(f"{where}['bind']", item.get("bind"))
        if _NAMED.fullmatch(source):
            volume = {"Name": source, "Dest": target, "Options": options}
            list_at(body, "volumes").append(volume)
        elif source.startswith("/"):
            mount = {"type": "bind", "source": source, "destination": target, "options": options}
            list_at(body, "mounts").append(mount)
        else:
            raise InvalidArgument(
                f"{name}= key {source!r} is neither a volume name nor an absolute path"
            )


def list_at(body: Body, field: str) -> list[object]:
    items = body.get(field)
    if not isinstance(items, list):
        items = []
        body[field] = items
    return items


def as_ports(name: str, value: object) -> list[dict[str, object]]:
    mappings: list[dict[str, object]] = []
    for key, host in as_mapping(name, value).items():
        where = f"{name}[{key!r}]"
        if isinstance(key, int) and not isinstance(key, bool):
            port, protocol = str(key), "tcp"
        else:
            port, _, protocol = as_str(f"{name} key", key).partition("/")
            protocol = protocol or "tcp"
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise InvalidArgument(f"{where}: {key!r} is not a container port like 80 or '80/tcp'")
        as_choice(f"{where} protocol", protocol, ("tcp", "udp", "sctp"))
        bindings = host if isinstance(host, list) else [host]
        if not bindings:
            raise InvalidArgument(
                f"{where}: an empty list binds no host port; give None for a random one"
            )
        for binding in bindings:
            mapping: dict[str, object] = {"container_port": int(port), "protocol": protocol}
            mapping.update(_host_binding(where, binding))
            mappings.append(mapping)
    return mappings


def _host_binding(name: str, host: object) -> dict[str, object]:
    if host is None:
        return {}
    if isinstance(host, tuple):
        if len(host) == 1:
            return {"host_ip": as_str(name, host[0])}
        if len(host) == 2:
            return {"host_ip": as_str(name, host[0]), "host_port": _host_port(name, host[1])}
        raise InvalidArgument(f"{name}: {host!r} is not (address, port) nor (address,)")
    if isinstance(host, Mapping):
        check_keys(name, host, ("port", "range", "ip"))
        binding = _host_binding(name, host.get("port"))
        if "range" in host:
            binding["range"] = as_int(f"{name}['range']", host["range"], minimum=1)
        if "ip" in host:
            binding["host_ip"] = as_str(f"{name}['ip']", host["ip"])
        return binding
    return {"host_port": _host_port(name, host)}


def _host_port(name: str, port: object) -> int:
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    number = as_int(name, port)
    if not 0 <= number <= 65535:
        raise InvalidArgument(f"{name}: {number} is not a port (0-65535)")
    return number


def set_restart_policy(body: Body, name: str, value: object) -> None:
    item = as_mapping(name, value)
    check_keys(name, item, ("Name", "MaximumRetryCount"))
    policy = as_choice(
        f"{name}['Name']", item.get("Name"), ("no", "always", "on-failure", "unless-stopped")
    )
    body["restart_policy"] = policy
    retries = as_uint(f"{name}['MaximumRetryCount']", item.get("MaximumRetryCount", 0))
    if policy == "on-failure" and "MaximumRetryCount" in item:
        body["restart_tries"] = retries
    elif retries:
        # The server refuses retries with any other policy; 0 is Docker's "not set".
        raise InvalidArgument(f"{name}: MaximumRetryCount needs Name 'on-failure', not {policy!r}")


def as_ulimits(name: str, value: object) -> list[dict[str, object]]:
    limits: list[dict[str, object]] = []
    for i, entry in enumerate(as_sequence(name, value)):
        item = as_mapping(f"{name}[{i}]", entry)
        check_keys(f"{name}[{i}]", item, ("Name", "Soft", "Hard"))
        limits.append(
            {
                # The server prefixes RLIMIT_ and upper-cases it.
                "type": as_str(f"{name}[{i}]['Name']", item.get("Name"))
                .lower()
                .removeprefix("rlimit_"),
                "soft": as_int(f"{name}[{i}]['Soft']", item.get("Soft"), minimum=-1),
                "hard": as_int(f"{name}[{i}]['Hard']", item.get("Hard"), minimum=-1),
            }
        )
    return limits


def as_secrets(name: str, value: object) -> list[dict[str, object]]:
    secrets: list[dict[str, object]] = []
    for i, entry in enumerate(as_sequence(name, value)):
        where = f"{name}[{i}]"
        if isinstance(entry, str):
            secrets.append({"Source": entry})
            continue
        item = as_mapping(where, entry)
        check_keys(where, item, ("source", "target", "uid", "gid", "mode"))
        secret: dict[str, object] = {"Source": as_str(f"{where}['source']", item.get("source"))}
        if "target" in item:
            secret["Target"] = as_str(f"{where}['target']", item["target"])
        for key, field in (("uid", "UID"), ("gid", "GID"), ("mode", "Mode")):
            if key in item:
                secret[field] = as_uint(f"{where}[{key!r}]", item[key])
        secrets.append(secret)
    return secrets


def as_log_config(name: str, value: object) -> dict[str, object]:
    item = as_mapping(name, value)
    check_keys(name, item, ("Type", "Config"))
    config: dict[str, object] = {"driver": as_str(f"{name}['Type']", item.get("Type"))}
    settings = as_mapping(f"{name}['Config']", item.get("Config", {}))
    check_keys(f"{name}['Config']", settings, ("path", "size", "options"))
    if "path" in settings:
        config["path"] = as_str(f"{name}['Config']['path']", settings["path"])
    if "size" in settings:
        config["size"] = as_size(f"{name}['Config']['size']", settings["size"])
    if "options" in settings:
        config["options"] = as_str_map(f"{name}['Config']['options']", settings["options"])
    return config


def as_networks(name: str, value: object) -> dict[str, dict[str, object]]:
    networks: dict[str, dict[str, object]] = {}
    for key, entry in as_mapping(name, value).items():
        network = as_str(f"{name} key", key)
        where = f"{name}[{network!r}]"
        item = as_mapping(where, entry)
        check_keys(where, item, tuple(NetworkEndpoint.__annotations__))
        endpoint: dict[str, object] = {}
        for field in ("aliases", "static_ips"):
            if field in item:
                endpoint[field] = as_strings(f"{where}[{field!r}]", item[field])
        for field in ("interface_name", "static_mac"):
            if field in item:
                endpoint[field] = as_str(f"{where}[{field!r}]", item[field])
        if "options" in item:
            endpoint["options"] = as_str_map(f"{where}['options']", item["options"])
        networks[network] = endpoint
    return networks


def set_platform(body: Body, name: str, value: object) -> None:
    parts = as_str(name, value).split("/")
    if len(parts) > 3 or not all(parts):
        raise InvalidArgument(f"{name}= {value!r} is not os[/arch[/variant]]")
    for field, part in zip(("image_os", "image_arch", "image_variant"), parts, strict=False):
        body[field] = part


def set_security_opt(body: Body, name: str, value: object) -> None:
    """Docker's ``key=value`` security options, split into the fields they set, as
    Podman's CLI does; podman-py passes them all as SELinux options."""
    for option in as_strings(name, value):
        key, has_value, setting = option.partition("=" if "=" in option else ":")
        if key == "no-new-privileges":
            flag = {"": True, "true": True, "false": False}.get(setting.lower())
            if flag is None:
                raise InvalidArgument(f"{name}= {option!r}: no-new-privileges takes true or false")
            body["no_new_privileges"] = flag
        elif not has_value or not setting:
            raise InvalidArgument(f"{name}= {option!r} is not in the form key=value")
        elif key == "label" and setting == "nested":
            body["label_nested"] = True
        elif key == "label":
            list_at(body, "selinux_opts").append(setting)
        elif key == "apparmor":
            body["apparmor_profile"] = setting
        elif key == "seccomp":
            body["seccomp_profile_path"] = setting
        elif key in ("mask", "unmask"):
            list_at(body, key).extend(setting.split(":"))
        elif key == "systempaths" and setting == "unconfined":
            list_at(body, "unmask").append("ALL")
        elif key == "proc-opts":
            body["procfs_opts"] = setting.split(",")
        else:
            raise InvalidArgument(
                f"{name}= {option!r}: the keys are apparmor, label, mask, no-new-privileges, "
                "proc-opts, seccomp, systempaths=unconfined and unmask"
            )


def as_health_test(name: str, value: object) -> list[str]:
    """``health_cmd`` as the server's ``Test``, as Podman's CLI builds it: a JSON array is
    taken as it is, ``NONE`` disables, ``CMD ...`` is split, anything else is a shell line."""
    text = as_str(name, value).strip()
    if text.startswith("["):
        try:
            words = json.loads(text)
        except ValueError:
            raise InvalidArgument(
                f"{name}= {text!r} starts like a JSON array but is not one"
            ) from None
        words = as_strings(name, words)
        if not words:
            raise InvalidArgument(f"{name}= is an empty command")
        if words[0].upper() in ("CMD", "CMD-SHELL", "NONE"):
            return words
        return ["CMD", *words] if len(words) > 1 else ["CMD-SHELL", words[0]]
    first, _, rest = text.partition(" ")
    if not text:
        raise InvalidArgument(f"{name}= is an empty command")
    if first.upper() == "NONE":
        return ["NONE"]
    if first.upper() == "CMD":
        return text.split()
    if first.upper() == "CMD-SHELL":
        return ["CMD-SHELL", rest.strip()]
    return ["CMD-SHELL", text]


def as_healthcheck(name: str, value: object) -> dict[str, object]:
    """Docker's health config; keys are matched as the server's Go decoder would, and
    docker-py's snake_case spellings too (podman-py's ``start_period`` is lost on the
    server, whose field is ``StartPeriod``)."""
    fields = {"test": "Test", "interval": "Interval", "timeout": "Timeout", "retries": "Retries",
              "startperiod": "StartPeriod", "startinterval": "StartInterval"}  # fmt: skip
    config: dict[str, object] = {}
    for key, item in lowered_keys(name, as_mapping(name, value)).items():
        field = fields.get(key.replace("_", ""))
        if field is None:
            raise InvalidArgument(
                f"{name} has key {key!r}; the keys are {', '.join(fields.values())}"
            )
        where = f"{name}[{field!r}]"
        if field == "Test":
            config[field] = (
                ["CMD-SHELL", item] if isinstance(item, str) else as_strings(where, item)
            )
        else:
            config[field] = as_uint(where, item)
    if "Test" not in config:
        raise InvalidArgument(f"{name} needs a 'Test' command")
    return config


def as_interval(name: str, value: object) -> int:
    return 0 if value == "disable" else as_duration(name, value)


def as_timeout(name: str, value: object) -> int:
    timeout = as_duration(name, value)
    if timeout <= 0:
        raise InvalidArgument(f"{name}= must be more than 0")
    return timeout
