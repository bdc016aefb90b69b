"""PodsManager and Pod (both clients) on a mock transport: the requests sent, what is
refused before any request, and answers a real service cannot be made to give
(malformed bodies, a prune that fails for one pod, an empty top)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
import spec_diff
import spec_source
from podman_sdk import (
    APIError,
    Conflict,
    InvalidArgument,
    MalformedAnswerError,
    NotFound,
    Pod,
    PodCreateKeywords,
    PodmanClient,
    UnsupportedServer,
)
from podman_sdk.pods._calls import READ_BETWEEN

from tests.harness.both_clients import client_made

Handler = Callable[[httpx.Request], httpx.Response]

POD_ID = "4f0a" + "1" * 60
INSPECT = {
    "Id": POD_ID,
    "Name": "web",
    "Created": "2026-12-07T20:00:00Z",
    "State": "Created",
    "Hostname": "",
    "Labels": {"a": "b"},
    "CreateCgroup": False,
    "CreateInfra": False,
    "NumContainers": 0,
    "LockNumber": 3,
}
LISTED = {
    "Id": POD_ID,
    "Name": "web",
    "Status": "Created",
    "Created": "2026-12-07T20:00:00Z",
    "InfraId": "",
    "Namespace": "",
    "Cgroup": "",
    "Labels": {"a": "b"},
    "Networks": [],
    "Containers": [{"Id": "c" * 64, "Names": "one", "Status": "created", "RestartCount": 0}],
}


@contextmanager
def mocked(flavour: str, handler: Handler, version: str = "5.8.2") -> Iterator[PodmanClient]:
    with client_made(
        flavour, lambda cls: cls(transport=httpx.MockTransport(handler), version=version)
    ) as client:
        yield client


def routes(answers: dict[tuple[str, str], httpx.Response], seen: list[httpx.Request]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path.split("/libpod", 1)[1]
        return answers[(request.method, path)]

    return handler


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def test_create_sends_the_spec_and_answers_the_inspected_pod(flavour: str) -> None:
    seen: list[httpx.Request] = []
    answers = {
        ("POST", "/pods/create"): httpx.Response(201, json={"Id": POD_ID}),
        ("GET", f"/pods/{POD_ID}/json"): httpx.Response(200, json=INSPECT),
    }
    with mocked(flavour, routes(answers, seen)) as client:
        pod = client.pods.create(
            "web",
            labels={"a": "b"},
            no_infra=True,
            netns={"nsmode": "none"},
            dns_server=("1.1.1.1",),
        )
        assert pod.id == POD_ID
        assert pod.name == "web"
        assert pod.attrs["State"] == "Created"
        assert pod.model.lock_number == 3
    assert json.loads(seen[0].content) == {
        "name": "web",
        "labels": {"a": "b"},
        "no_infra": True,
        "netns": {"nsmode": "none"},
        "dns_server": ["1.1.1.1"],
    }
    assert seen[0].url.path == "/v5.8.2/libpod/pods/create"


def test_create_refuses_unknown_keywords_and_wrong_types_before_a_request(flavour: str) -> None:
    with mocked(flavour, no_request) as client:
        with pytest.raises(InvalidArgument, match="did you mean no_infra"):
            client.pods.create("web", noinfra=True)  # type: ignore[call-arg]
        with pytest.raises(InvalidArgument, match="no_infra"):
            client.pods.create("web", no_infra="yes")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument, match="pod name"):
            client.pods.create("")


@pytest.mark.parametrize(
    ("version", "keyword", "value"),
    [("4.3.1", "hostsFile", "/etc/hosts"), ("4.3.1", "restart_policy", "always"),
     ("6.0.0", "cni_networks", ["n"])],
)  # fmt: skip
def test_create_refuses_a_field_the_server_would_drop(
    flavour: str, version: str, keyword: str, value: object
) -> None:
    def ping_only(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("_ping"), request.url
        return httpx.Response(200, headers={"Libpod-API-Version": version})

    with (
        mocked(flavour, ping_only, version=version) as client,
        pytest.raises(UnsupportedServer, match=keyword),
    ):
        client.pods.create("web", **{keyword: value})  # type: ignore[arg-type]


def test_listed_pods_keep_list_data_and_model_asks_for_a_reload(flavour: str) -> None:
    seen: list[httpx.Request] = []
    answers = {("GET", "/pods/json"): httpx.Response(200, json=[LISTED])}
    with mocked(flavour, routes(answers, seen)) as client:
        (pod,) = client.pods.list(filters={"label": {"a": "b"}})
        assert pod.attrs["Status"] == "Created"
        assert pod.attrs.get("Containers", [])[0]["Names"] == "one"  # type: ignore[index]
        with pytest.raises(InvalidArgument, match="reload"):
            pod.model  # noqa: B018
    assert json.loads(seen[0].url.params["filters"]) == {"label": ["a=b"]}


def test_a_list_entry_without_an_id_is_malformed(flavour: str) -> None:
    answers = {("GET", "/pods/json"): httpx.Response(200, json=[{"Name": "web"}])}
    with (
        mocked(flavour, routes(answers, [])) as client,
        pytest.raises(MalformedAnswerError, match="Id and Name"),
    ):
        client.pods.list()


def test_exists_reads_404_as_false(flavour: str) -> None:
    answers = {
        ("GET", "/pods/web/exists"): httpx.Response(204),
        ("GET", "/pods/gone/exists"): httpx.Response(404, json={"cause": "no such pod"}),
    }
    with mocked(flavour, routes(answers, [])) as client:
        assert client.pods.exists("web") is True
        assert client.pods.exists("gone") is False


def test_prune_raises_naming_a_failed_pod_and_refuses_filters(flavour: str) -> None:
    failed = [{"Id": "a" * 64, "Err": None}, {"Id": "b" * 64, "Err": {}}]
    answers = {("POST", "/pods/prune"): httpx.Response(200, json=failed)}
    with mocked(flavour, routes(answers, [])) as client:
        with pytest.raises(APIError, match="b" * 64):
            client.pods.prune()
        with pytest.raises(InvalidArgument, match="reads no filters"):
            client.pods.prune(filters={"label": "a"})


def test_prune_reports_the_ids_removed(flavour: str) -> None:
    answers = {("POST", "/pods/prune"): httpx.Response(200, json=[{"Id": "a" * 64, "Err": None}])}
    with mocked(flavour, routes(answers, [])) as client:
        assert client.pods.prune() == {"PodsDeleted": ["a" * 64], "SpaceReclaimed": 0}


def test_instance_verbs_send_their_requests(flavour: str) -> None:
    seen: list[httpx.Request] = []
    ok = httpx.Response(200, json={"Id": POD_ID, "Errs": []})
    answers = {
        ("GET", f"/pods/{POD_ID}/json"): httpx.Response(200, json=INSPECT),
        # 304: already running or stopped, which podman-py takes as done.
        ("POST", f"/pods/{POD_ID}/start"): httpx.Response(304),
        ("POST", f"/pods/{POD_ID}/stop"): httpx.Response(304),
        ("POST", f"/pods/{POD_ID}/restart"): ok,
        ("POST", f"/pods/{POD_ID}/kill"): ok,
        ("POST", f"/pods/{POD_ID}/pause"): ok,
        ("POST", f"/pods/{POD_ID}/unpause"): ok,
        ("GET", f"/pods/{POD_ID}/top"): httpx.Response(200, content=b""),
        ("DELETE", f"/pods/{POD_ID}"): httpx.Response(200, json={"Id": POD_ID}),
    }
    with mocked(flavour, routes(answers, seen)) as client:
        pod = client.pods.get(POD_ID)
        pod.start()
        pod.stop(timeout=3)
        pod.restart()
        pod.kill(15)
        pod.pause()
        pod.unpause()
        assert pod.top(ps_args="pid") == {"Titles": [], "Processes": []}
        pod.remove(force=True)
    params = {request.url.path.rsplit("/", 1)[1]: dict(request.url.params) for request in seen}
    assert params["stop"] == {"t": "3"}
    assert params["kill"] == {"signal": "15"}
    assert params["top"] == {"stream": "false", "delay": "5", "ps_args": "pid"}
    assert params[POD_ID] == {"force": "true"}


def test_a_missing_pod_raises_not_found(flavour: str) -> None:
    answers = {("GET", "/pods/gone/json"): httpx.Response(404, json={"cause": "no such pod"})}
    with mocked(flavour, routes(answers, [])) as client, pytest.raises(NotFound):
        client.pods.get("gone")


def test_stats_bytes_or_decoded_and_its_refusals(flavour: str) -> None:
    report = [
        {"CPU": "0.00%", "MemUsage": "1kB / 2kB", "MemUsageBytes": "1 / 2", "Mem": "50%",
         "NetIO": "-- / --", "BlockIO": "-- / --", "PIDS": "1", "Pod": "4f0a11111111",
         "CID": "c" * 12, "Name": "one"}
    ]  # fmt: skip
    seen: list[httpx.Request] = []
    answers = {("GET", "/pods/stats"): httpx.Response(200, json=report)}
    with mocked(flavour, routes(answers, seen)) as client:
        assert json.loads(client.pods.stats(all=True)) == report
        assert client.pods.stats(name=["web", "db"], decode=True) == report
        with pytest.raises(InvalidArgument, match="mutually exclusive"):
            client.pods.stats(all=True, name="web")
        with pytest.raises(InvalidArgument, match="stream"):
            client.pods.stats(stream=True)  # type: ignore[call-overload]
    assert seen[0].url.params["all"] == "true"
    assert seen[1].url.params.get_list("namesOrIDs") == ["web", "db"]


def test_a_detached_pod_reads_its_data_and_refuses_its_verbs() -> None:
    pod = Pod(INSPECT)
    assert pod.short_id == POD_ID[:10]
    assert pod.model.name == "web"
    with pytest.raises(InvalidArgument, match="not attached"):
        pod.reload()


def test_a_partial_failure_raises_conflict_with_each_containers_error(flavour: str) -> None:
    failed = "pausing container c1: cannot pause without using Cgroups"
    answers = {
        ("GET", f"/pods/{POD_ID}/json"): httpx.Response(200, json=INSPECT),
        ("POST", f"/pods/{POD_ID}/pause"): httpx.Response(
            409, json={"Errs": [failed], "Id": POD_ID}
        ),
    }
    with mocked(flavour, routes(answers, [])) as client:
        pod = client.pods.get(POD_ID)
        with pytest.raises(Conflict, match="cannot pause without using Cgroups"):
            pod.pause()


def test_the_keywords_and_the_fields_some_releases_skip_follow_the_pinned_specs() -> None:
    """PodCreateKeywords is the generated release's PodSpecGenerator, and READ_BETWEEN
    names exactly the fields that a pinned release's spec lacks."""

    def fields(tag: str) -> set[str]:
        spec = spec_diff.load_spec(spec_source.locate(tag))
        return set(spec["definitions"]["PodSpecGenerator"]["properties"])

    old, current, newest = fields("v4.3.1"), fields("v5.8.2"), fields("v6.0.0-rc1")
    # ``name`` is create()'s first argument.
    assert set(PodCreateKeywords.__annotations__) == current - {"name"}
    skipped = {name: (name not in old, name not in newest) for name in current}
    assert {name for name, gaps in skipped.items() if any(gaps)} == set(READ_BETWEEN)
    for name, (until, since) in READ_BETWEEN.items():
        assert (until is not None, since is not None) == skipped[name], name
