"""The calls of the pod verbs, both clients' (`Call`: the request from its generated
builder, the answer decoded here), and the argument checks that come before them:
everything a pod verb decides, none of its I/O."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

import httpx

from podman_sdk._core._answers import json_array, json_object, model_answer, unexpected
from podman_sdk._core._api_version import Version, format_version
from podman_sdk._core._arguments import optional_bool, required_name
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._exceptions import APIError, InvalidArgument, NotFound, UnsupportedServer
from podman_sdk.pods._types import (
    PodAttrs,
    PodCreateKeywords,
    PodPruneReport,
    PodStatsEntry,
    PodTop,
)

if TYPE_CHECKING:
    from libpod_client.models import InspectPodData, PodSpecGenerator

    from podman_sdk._core._requests import RequestKwargs

#: ``create()``'s keywords that the pinned API specs show only some releases reading:
#: keyword -> (the last pinned release without it, or None; the first one without it
#: again, or None). Podman's handler decodes the body into its own PodSpecGenerator, so
#: a field an older (or newer) release lacks is dropped without a word.
#: From the specs of 4.3.1, 5.4.2, 5.8.2 and 6.0.0-rc1 (tests/unit/test_pods.py).
READ_BETWEEN: Mapping[str, tuple[Version | None, Version | None]] = {
    "hostsFile": (Version(4, 3, 1), None),
    "ipcns": (Version(4, 3, 1), None),
    "no_manage_hostname": (Version(4, 3, 1), None),
    "restart_policy": (Version(4, 3, 1), None),
    "restart_tries": (Version(4, 3, 1), None),
    "shm_size_systemd": (Version(4, 3, 1), None),
    "cni_networks": (None, Version(6, 0, 0)),
}


def pod_name(name: object) -> str:
    return required_name(name, "pod name or id")


def _done(response: httpx.Response, endpoint: str) -> None:
    return None


def _present(response: httpx.Response, endpoint: str) -> bool:
    return True


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, NotFound):
        return False
    raise error


def _not_modified_is_done(error: APIError) -> None:
    # 304: already in the state asked for (started, stopped); podman-py returns then.
    if error.status_code == 304:
        return
    raise error


def pod_model(attrs: PodAttrs, what: str, endpoint: str) -> InspectPodData:
    from libpod_client.models import InspectPodData

    return model_answer(InspectPodData, cast("dict[str, object]", attrs), what, endpoint)


def _inspected(response: httpx.Response, what: str, endpoint: str) -> PodAttrs:
    data = json_object(response, what, endpoint)
    if not isinstance(data.get("Id"), str) or not isinstance(data.get("Name"), str):
        raise unexpected(what, endpoint, "a pod with Id and Name")
    return cast(PodAttrs, data)


def _listed(response: httpx.Response, endpoint: str) -> list[PodAttrs]:
    # Decoded to JSON only: a list of 200 pods is read as fast as podman-py reads it;
    # each entry is checked for what every Pod reads, its Id and Name.
    entries = json_array(response, "pods", endpoint, null_is_empty=True)
    for entry in entries:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("Id"), str)
            and isinstance(entry.get("Name"), str)
        ):
            raise unexpected("pods", endpoint, "a JSON array of pods, each with Id and Name")
    return cast("list[PodAttrs]", entries)


def _created_id(response: httpx.Response, endpoint: str) -> str:
    data = json_object(response, "new pod", endpoint)
    made = data.get("Id")
    if not isinstance(made, str) or not made:
        raise unexpected("new pod", endpoint, "an object with the pod's Id")
    return made


def _pruned(response: httpx.Response, endpoint: str) -> PodPruneReport:
    deleted: list[str] = []
    failures: list[str] = []
    for entry in json_array(response, "pod prune report", endpoint, null_is_empty=True):
        if not isinstance(entry, dict) or not isinstance(entry.get("Id"), str):
            raise unexpected("pod prune report", endpoint, "entries with an Id")
        # Go writes a nil error as null and most others as {}: any non-null is a failure.
        if entry.get("Err") is not None:
            failures.append(f"{entry['Id']}: {entry['Err'] or 'failed'}")
        else:
            deleted.append(entry["Id"])
    if failures:
        # As podman-py: a failed entry raises, after the others were pruned.
        raise APIError(f"failed to prune pod(s): {'; '.join(failures)}")
    return {"PodsDeleted": deleted, "SpaceReclaimed": 0}


def _top(response: httpx.Response, endpoint: str) -> PodTop:
    # Podman writes nothing when ps lists no process; podman-py answers empty lists.
    if not response.content.strip():
        return {"Titles": [], "Processes": []}
    data = json_object(response, "pod top", endpoint)
    titles, processes = data.get("Titles"), data.get("Processes")
    if not isinstance(titles, list) or not (processes is None or isinstance(processes, list)):
        raise unexpected("pod top", endpoint, "Titles and Processes")
    return {"Titles": titles, "Processes": processes or []}


def _stats_entries(response: httpx.Response, endpoint: str) -> list[PodStatsEntry]:
    entries = json_array(response, "pod stats", endpoint, null_is_empty=True)
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("Pod"), str):
            raise unexpected("pod stats", endpoint, "a JSON array of reports, each with Pod")
    return cast("list[PodStatsEntry]", entries)


def _stats_bytes(response: httpx.Response, endpoint: str) -> bytes:
    return response.content


# -- create ---------------------------------------------------------------------------


def _check_keyword_names(keywords: Mapping[str, object]) -> None:
    known = PodCreateKeywords.__annotations__
    for keyword in keywords:
        if keyword not in known:
            close = difflib.get_close_matches(str(keyword), sorted(known), n=1)
            hint = f"; did you mean {close[0]}=?" if close else ""
            raise InvalidArgument(f"{keyword}= is not a field of libpod's PodSpecGenerator{hint}")


def create_spec(name: object, keywords: Mapping[str, object]) -> PodSpecGenerator:
    """The body of POST /libpod/pods/create: ``name`` and ``keywords`` (PodSpecGenerator
    fields, by their wire names), each checked against the spec's type. Pure."""
    from libpod_client.errors import ShapeError
    from libpod_client.models import PodSpecGenerator

    _check_keyword_names(keywords)
    body: dict[str, object] = {
        key: (list(value) if isinstance(value, tuple) else value) for key, value in keywords.items()
    }
    body["name"] = pod_name(name)
    try:
        return PodSpecGenerator.from_dict(body)
    except ShapeError as exc:
        raise InvalidArgument(f"pods.create(): {exc}") from None


def check_server_reads(keywords: Mapping[str, object], server: Version) -> None:
    """`UnsupportedServer` for a keyword the connected Podman would drop unread."""
    for keyword, (absent_until, absent_from) in READ_BETWEEN.items():
        if keyword not in keywords:
            continue
        if absent_until is not None and server[:3] <= absent_until[:3]:
            raise UnsupportedServer(
                f"pods.create({keyword}=...): Podman {format_version(server)} does not read "
                f"it (absent from the {format_version(absent_until)} API; 5.4.2's has it)"
            )
        if absent_from is not None and server[:3] >= absent_from[:3]:
            raise UnsupportedServer(
                f"pods.create({keyword}=...): Podman {format_version(server)} does not read "
                f"it (dropped from the API in {format_version(absent_from)})"
            )


def create_call(spec: PodSpecGenerator) -> Call[str]:
    """POST /libpod/pods/create (201: the new pod's id); `Conflict` for a name taken."""
    from libpod_client.api.pods import pod_create_libpod

    request: RequestKwargs = pod_create_libpod.request_kwargs(body=spec)
    return Call(request, _created_id)


# -- the other calls --------------------------------------------------------------------


def get_call(name: object) -> Call[PodAttrs]:
    """GET /libpod/pods/{name}/json; a missing pod raises `NotFound`."""
    from libpod_client.api.pods import pod_inspect_libpod

    checked = pod_name(name)
    what = f"pod {checked}"
    return Call(
        pod_inspect_libpod.request_kwargs(checked),
        lambda answer, endpoint: _inspected(answer, what, endpoint),
    )


def exists_call(name: object) -> Call[bool]:
    """GET /libpod/pods/{name}/exists: False on 404."""
    from libpod_client.api.pods import pod_exists_libpod

    return Call(pod_exists_libpod.request_kwargs(pod_name(name)), _present, _absent_is_false)


def list_call(filters: Filters | None) -> Call[list[PodAttrs]]:
    """GET /libpod/pods/json (filters: ctr-ids, ctr-names, ctr-number, ctr-status, id,
    name, status, label, network, until)."""
    from libpod_client.api.pods import pod_list_libpod
    from libpod_client.types import UNSET

    encoded = filter_values(filters)
    request = pod_list_libpod.request_kwargs(filters=UNSET if encoded is None else encoded)
    return Call(request, _listed)


def prune_call(filters: Filters | None) -> Call[PodPruneReport]:
    """POST /libpod/pods/prune; raises `APIError` naming each pod that failed."""
    from libpod_client.api.pods import pod_prune_libpod

    if filters:
        # podman-py sends them; no Podman release reads them (PodPruneHelper prunes
        # every stopped pod), so sending them would prune more than asked.
        raise InvalidArgument(
            "pods.prune(filters=...): Podman's pod prune reads no filters and would "
            "remove every stopped pod; select pods with list(filters=...) and remove them"
        )
    return Call(pod_prune_libpod.request_kwargs(), _pruned)


def remove_call(name: object, force: object) -> Call[None]:
    """DELETE /libpod/pods/{name}; ``force`` stops and removes its containers first."""
    from libpod_client.api.pods import pod_delete_libpod
    from libpod_client.types import UNSET

    checked_force = optional_bool(force, "force")
    request = pod_delete_libpod.request_kwargs(
        pod_name(name), force=UNSET if checked_force is None else checked_force
    )
    return Call(request, _done)


def start_call(name: str) -> Call[None]:
    """POST /libpod/pods/{name}/start; already running (304) is no error."""
    from libpod_client.api.pods import pod_start_libpod

    return Call(pod_start_libpod.request_kwargs(name), _done, _not_modified_is_done)


def stop_call(name: str, timeout: object) -> Call[None]:
    """POST /libpod/pods/{name}/stop (``t``: seconds before SIGKILL); already stopped
    (304) is no error."""
    from libpod_client.api.pods import pod_stop_libpod
    from libpod_client.types import UNSET

    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int)):
        raise InvalidArgument(f"timeout must be an int (seconds) or None, not {timeout!r}")
    request = pod_stop_libpod.request_kwargs(name, t=UNSET if timeout is None else timeout)
    return Call(request, _done, _not_modified_is_done)


def restart_call(name: str) -> Call[None]:
    """POST /libpod/pods/{name}/restart."""
    from libpod_client.api.pods import pod_restart_libpod

    return Call(pod_restart_libpod.request_kwargs(name), _done)


def kill_call(name: str, signal: object) -> Call[None]:
    """POST /libpod/pods/{name}/kill (``signal``: a name or number; SIGKILL when None)."""
    from libpod_client.api.pods import pod_kill_libpod

    if signal is None:
        return Call(pod_kill_libpod.request_kwargs(name), _done)
    if isinstance(signal, bool) or not isinstance(signal, (str, int)) or signal == "":
        raise InvalidArgument(f"signal must be a name or a number, not {signal!r}")
    return Call(pod_kill_libpod.request_kwargs(name, signal=str(signal)), _done)


def pause_call(name: str) -> Call[None]:
    """POST /libpod/pods/{name}/pause."""
    from libpod_client.api.pods import pod_pause_libpod

    return Call(pod_pause_libpod.request_kwargs(name), _done)


def unpause_call(name: str) -> Call[None]:
    """POST /libpod/pods/{name}/unpause."""
    from libpod_client.api.pods import pod_unpause_libpod

    return Call(pod_unpause_libpod.request_kwargs(name), _done)


def top_call(name: str, ps_args: object) -> Call[PodTop]:
    """GET /libpod/pods/{name}/top, one answer (not a stream)."""
    from libpod_client.api.pods import pod_top_libpod
    from libpod_client.types import UNSET

    if ps_args is not None and not isinstance(ps_args, str):
        raise InvalidArgument(f"ps_args must be a str, not {ps_args!r}")
    request = pod_top_libpod.request_kwargs(
        name, stream=False, ps_args=UNSET if ps_args is None else ps_args
    )
    return Call(request, _top)


def stats_names(all: object, name: object) -> list[str] | None:
    """``stats()``'s selection: ``all`` or ``name`` (one or a list), not both."""
    if all is not None and name is not None:
        raise InvalidArgument("stats(): all= and name= are mutually exclusive")
    optional_bool(all, "all")
    if name is None:
        return None
    if isinstance(name, str):
        return [pod_name(name)]
    if isinstance(name, Sequence) and name and _all_names(name):
        return [str(item) for item in name]
    raise InvalidArgument(f"name must be a pod name or a non-empty list of them, not {name!r}")


def _all_names(values: Sequence[object]) -> bool:
    return all(isinstance(item, str) and item for item in values)


def _stats_request(all: object, name: object) -> RequestKwargs:
    from libpod_client.api.pods import pod_stats_all_libpod
    from libpod_client.types import UNSET

    names = stats_names(all, name)
    return pod_stats_all_libpod.request_kwargs(
        all_=UNSET if all is None else bool(all),
        names_or_i_ds=UNSET if names is None else names,
    )


def stats_call(all: object, name: object) -> Call[bytes]:
    """GET /libpod/pods/stats: the JSON array of reports, one per container of the pods
    selected (every running pod for ``all``, and for neither, as Podman chooses)."""
    return Call(_stats_request(all, name), _stats_bytes)


def stats_decoded_call(all: object, name: object) -> Call[list[PodStatsEntry]]:
    """`stats_call`, its reports decoded."""
    return Call(_stats_request(all, name), _stats_entries)
