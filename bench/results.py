"""bench/results.json (one object per measure) and the markdown table made from it."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Measure:
    name: str
    value: float | None
    unit: str
    ceiling: float | None = None  # what the value is compared with (see `compared_with`)
    ratio: float | None = None
    target: str | None = None  # e.g. "ratio >= 0.5", "value < 150", "value == ceiling"
    met: bool | None = None
    compared_with: str | None = None
    extra: dict = field(default_factory=dict)  # min-max, rounds, notes

    def check(self) -> "Measure":
        """Work out `met` from `target`, honestly: None when there is nothing to judge."""
        if self.target is None:
            return self
        subject, operator, threshold = self.target.split(" ", 2)
        left = self.ratio if subject == "ratio" else self.value
        right = self.ceiling if threshold == "ceiling" else float(threshold)
        if left is None or right is None:
            self.met = None
        else:
            self.met = {">=": left >= right, "<": left < right, "==": left == right, "<=": left <= right}[operator]
        return self


def ratio_measure(name: str, values: list[float], ceilings: list[float], unit: str, target: float | None,
                  compared_with: str, **extra) -> Measure:
    """Medians of interleaved rounds: the value, the ceiling, and the ratio of each round's pair."""
    ratios = [value / ceiling for value, ceiling in zip(values, ceilings) if ceiling]
    measure = Measure(
        name=name, value=round(statistics.median(values), 1), unit=unit,
        ceiling=round(statistics.median(ceilings), 1), ratio=round(statistics.median(ratios), 3) if ratios else None,
        target=f"ratio >= {target}" if target is not None else None, compared_with=compared_with,
        extra={"rounds": len(values), "value_min": round(min(values), 1), "value_max": round(max(values), 1),
               "ratio_min": round(min(ratios), 3) if ratios else None,
               "ratio_max": round(max(ratios), 3) if ratios else None, **extra},
    )
    return measure.check()


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{int(value):,}"


def markdown(measures: list[Measure], heading: str = "") -> str:
    lines = [heading, ""] if heading else []
    lines += ["| measure | value | compared with | ratio (min–max) | target | met |",
              "|---|---|---|---|---|---|"]
    for measure in measures:
        spread = ""
        if measure.extra.get("ratio_min") is not None:
            spread = f" ({_number(measure.extra['ratio_min'])}–{_number(measure.extra['ratio_max'])})"
        compared = ""
        if measure.ceiling is not None:
            compared = f"{_number(measure.ceiling)} ({measure.compared_with})" if measure.compared_with else \
                _number(measure.ceiling)
        met = {True: "yes", False: "**no**", None: ""}[measure.met]
        lines.append(f"| {measure.name} | {_number(measure.value)} {measure.unit} | {compared} | "
                     f"{_number(measure.ratio)}{spread} | {measure.target or ''} | {met} |")
    return "\n".join(lines) + "\n"


def as_json(measures: list[Measure], about: dict) -> dict:
    return {"about": about, "measures": [{key: value for key, value in asdict(measure).items()}
                                         for measure in measures]}


def write(directory: Path, measures: list[Measure], about: dict, notes: list[str]) -> str:
    table = markdown(measures)
    if notes:
        table += "\n" + "\n".join(f"- {note}" for note in notes) + "\n"
    (directory / "results.json").write_text(json.dumps(as_json(measures, about), indent=2) + "\n", encoding="utf-8")
    header = (f"# `make bench` results ({about.get('scale')} scale, {about.get('finished')})\n\n"
              f"{about.get('summary', '')}\n\n")
    (directory / "results.md").write_text(header + table, encoding="utf-8")
    return table
