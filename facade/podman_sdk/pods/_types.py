"""The documented dicts of the pods domain: a pod's ``attrs`` (inspect and list entries
share ``Id`` and ``Name``; the rest depends on which gave them), ``create()``'s
keywords, and the answers of ``prune()``, ``stats()`` and ``top()``."""

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict


class PodContainerAttrs(TypedDict):
    """One of a pod's containers: ``Name`` and ``State`` from inspect (``get()``,
    ``reload()``), ``Names``, ``Status`` and ``RestartCount`` from ``list()``."""

    Id: str
    Name: NotRequired[str]
    State: NotRequired[str]
    Names: NotRequired[str]
    Status: NotRequired[str]
    RestartCount: NotRequired[int]


class PodAttrs(TypedDict):
    """A pod as libpod describes it. ``Id`` and ``Name`` are in every answer; the keys
    of GET /libpod/pods/{name}/json (``State``, ``Hostname``, ``NumContainers``, ...)
    are in a pod from ``get()`` or after ``reload()``, those of GET /libpod/pods/json
    (``Status``, ``InfraId``, ``Networks``, ``Cgroup``) in one from ``list()``. Inspect
    leaves out what is empty (``omitempty`` in Podman's Go source: a pod without
    containers has no ``Containers``)."""

    Id: str
    Name: str
    Created: NotRequired[str]
    Labels: NotRequired[dict[str, str] | None]
    Namespace: NotRequired[str]
    Containers: NotRequired[list[PodContainerAttrs] | None]
    # inspect
    State: NotRequired[str]
    Hostname: NotRequired[str]
    CreateCommand: NotRequired[list[str]]
    ExitPolicy: NotRequired[str]
    CreateCgroup: NotRequired[bool]
    CgroupParent: NotRequired[str]
    CgroupPath: NotRequired[str]
    CreateInfra: NotRequired[bool]
    InfraContainerID: NotRequired[str]
    InfraConfig: NotRequired[dict[str, object]]
    SharedNamespaces: NotRequired[list[str]]
    NumContainers: NotRequired[int]
    RestartPolicy: NotRequired[str]
    LockNumber: NotRequired[int]
    # list
    Status: NotRequired[str]
    InfraId: NotRequired[str]
    Networks: NotRequired[list[str] | None]
    Cgroup: NotRequired[str]


class PodPruneReport(TypedDict):
    """``pods.prune()`` as podman-py reports it: the ids removed; nothing is reclaimed
    (always 0)."""

    PodsDeleted: list[str]
    SpaceReclaimed: int


class PodStatsEntry(TypedDict):
    """One container of ``pods.stats(decode=True)``: the humanized figures ``podman pod
    stats`` prints."""

    CPU: str
    MemUsage: str
    MemUsageBytes: str
    Mem: str
    NetIO: str
    BlockIO: str
    PIDS: str
    Pod: str
    CID: str
    Name: str


class PodTop(TypedDict):
    """``Pod.top()``: ps's column titles and one row of them per process."""

    Titles: list[str]
    Processes: list[list[str]]


class PodNamespace(TypedDict):
    """A namespace setting (``netns``, ``userns``...): ``nsmode`` such as "none",
    "host", "private", "path" (``value`` the path), "slirp4netns"."""

    nsmode: str
    value: NotRequired[str]


class PodPortMapping(TypedDict):
    """A port published by the pod's infra container."""

    container_port: int
    host_ip: NotRequired[str]
    host_port: NotRequired[int]
    protocol: NotRequired[str]
    range: NotRequired[int]


class PodCreateKeywords(TypedDict, total=False):
    """``pods.create()``'s keywords: the fields of libpod's ``PodSpecGenerator`` (the
    body of POST /libpod/pods/create), by their names on the wire, as podman-py sends
    its ``**kwargs``. A keyword not listed raises `InvalidArgument`; so does one the
    connected Podman does not read (``hostsFile`` and the other 5.x fields on Podman 4,
    ``cni_networks`` on Podman 6)."""

    Networks: Mapping[str, Mapping[str, object]]
    cgroup_parent: str
    cni_networks: Sequence[str]
    dns_option: Sequence[str]
    dns_search: Sequence[str]
    dns_server: Sequence[str]
    exit_policy: str
    hostadd: Sequence[str]
    hostname: str
    hostsFile: str
    idmappings: Mapping[str, object]
    image_volumes: Sequence[Mapping[str, object]]
    infra_command: Sequence[str]
    infra_conmon_pid_file: str
    infra_image: str
    infra_name: str
    ipcns: PodNamespace
    labels: Mapping[str, str]
    mounts: Sequence[Mapping[str, object]]
    netns: PodNamespace
    network_options: Mapping[str, Sequence[str]]
    no_infra: bool
    no_manage_hostname: bool
    no_manage_hosts: bool
    no_manage_resolv_conf: bool
    overlay_volumes: Sequence[Mapping[str, object]]
    pidns: PodNamespace
    pod_create_command: Sequence[str]
    pod_devices: Sequence[str]
    portmappings: Sequence[PodPortMapping]
    resource_limits: Mapping[str, object]
    restart_policy: str
    restart_tries: int
    security_opt: Sequence[str]
    serviceContainerID: str
    share_parent: bool
    shared_namespaces: Sequence[str]
    shm_size: int
    shm_size_systemd: int
    sysctl: Mapping[str, str]
    userns: PodNamespace
    utsns: PodNamespace
    volumes: Sequence[Mapping[str, object]]
    volumes_from: Sequence[str]
