"""How every benchmark reports: a figure, the reference measured in the same run, the
ratio and the bar it must meet. Benchmarks print; they never assert on time."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


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

    def line(self) -> str:
        figures = (
            f"{self.name}: {self.measured:.3f} {self.unit} vs {self.reference:.3f} {self.unit} "
            f"-> ratio {self.ratio:.2f}"
        )
        if self.bar is None:
            return f"{figures} (for information, no bar)"
        relation = ">=" if self.higher_is_better else "<="
        verdict = "meets" if self.met else "MISSES"
        return f"{figures} ({verdict} the bar {relation} {self.bar})"


def median(values: list[float]) -> float:
    return statistics.median(values)
