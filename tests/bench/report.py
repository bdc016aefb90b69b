"""How every benchmark reports: a figure, the reference measured in the same run, the
ratio and the bar it must meet. Benchmarks print; they never assert on time.

A transfer (an export, a save) is reported twice: end to end, and from its first byte
on, which is what the client controls (the server may take seconds to start sending,
and that wait is the same for every client). The bar is on the second; `transfer`
makes both figures, plus the client's CPU per GiB after the first byte."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

MIB = 1024 * 1024

#: A round's figures, as the measuring child printed them: "seconds", "bytes", and for a
#: download "first_byte" (seconds from the start) and "body_cpu" (CPU seconds after it).
Round = dict[str, float]


@dataclass(frozen=True)
class Ratio:
    name: str
    measured: float  # ours
    reference: float  # what we compare with, measured in the same run
    unit: str
    bar: float | None  # the ratio we must reach; None: a figure for information only
    higher_is_better: bool  # throughput: True; time and memory: False

    @property
    def ratio(self) -> float:
        return self.measured / self.reference if self.reference else float("inf")

    @property
    def met(self) -> bool:
        if self.bar is None:
            return True
        return self.ratio >= self.bar if self.higher_is_better else self.ratio <= self.bar

    @property
    def bar_text(self) -> str:
        if self.bar is None:
            return "information"
        return f"{'>=' if self.higher_is_better else '<='} {self.bar}"

    def line(self) -> str:
        figures = (
            f"{self.name}: {self.measured:.3f} {self.unit} vs {self.reference:.3f} {self.unit} "
            f"-> ratio {self.ratio:.2f}"
        )
        if self.bar is None:
            return f"{figures} (for information, no bar)"
        verdict = "meets" if self.met else "MISSES"
        return f"{figures} ({verdict} the bar {self.bar_text})"


def median(values: list[float]) -> float:
    return statistics.median(values)


def end_to_end_rate(rounds: list[Round]) -> float:
    """Median MiB/s from the start (connect included) to the last byte."""
    return median([item["bytes"] / MIB / item["seconds"] for item in rounds])


def body_rate(rounds: list[Round]) -> float:
    """Median MiB/s from the first byte of the body to the last."""
    return median([item["bytes"] / MIB / (item["seconds"] - item["first_byte"]) for item in rounds])


def body_cpu_per_gib(rounds: list[Round]) -> float:
    """Median CPU seconds the client spent per GiB after the first byte."""
    return median([item["body_cpu"] / (item["bytes"] / (1024 * MIB)) for item in rounds])


def transfer(
    name: str, ours: list[Round], reference: list[Round], against: str, bar: float = 0.95
) -> list[Ratio]:
    """A download against ``reference`` (called ``against``) from the same rounds: the
    body rate after the first byte (with the bar), end to end and CPU per GiB after the
    first byte (information)."""
    return [
        Ratio(f"{name}: body rate after the first byte vs {against}", body_rate(ours),
              body_rate(reference), "MiB/s", bar, True),
        Ratio(f"{name}: end to end vs {against}", end_to_end_rate(ours),
              end_to_end_rate(reference), "MiB/s", None, True),
        Ratio(f"{name}: CPU per GiB after the first byte vs {against}", body_cpu_per_gib(ours),
              body_cpu_per_gib(reference), "s", None, False),
    ]  # fmt: skip


def describe_rounds(what: str, client: str, rounds: list[Round]) -> str:
    """One line of a contender's rounds: first byte + body seconds, CPU, RSS."""
    times = ", ".join(
        f"{item['first_byte']:.2f}+{item['seconds'] - item['first_byte']:.2f}"
        if "first_byte" in item
        else f"{item['seconds']:.2f}"
        for item in rounds
    )
    cpu = ", ".join(f"{item['body_cpu']:.2f}" for item in rounds if "body_cpu" in item)
    rss = ", ".join(f"{item['rss_growth_kib'] / 1024:.0f}" for item in rounds)
    return f"  {what} {client:12} s: {times}  body cpu s: {cpu or '-'}  rss MiB: {rss}"
