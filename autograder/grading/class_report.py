"""The class report of one graded assignment: what the class got right, and what it got wrong.

Written by ``make grade`` into ``reports/<assignment>/``: ``class_report.md`` and
``grade_distribution.png`` (a histogram of the scores). Per exercise, ``class_report.md`` gives
the pass rate, how many left it blank (the stub untouched) apart from how many tried and got it
wrong, the most frequent diagnoses of the wrong ones (a catalogued mistake, or a pattern the
checker found: a constant factor, a transpose, a wrong shape, a time-out, an error raised), and
who fails it; then the flagged submissions and why. ``python -m autograder.grading.class_report
reports/<assignment>`` rebuilds both from ``details.json``.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

BLANK = "NotImplementedYet"  # what an untouched stub raises (autograder.checking.checks.todo)


def diagnosis(v: dict) -> str:
    """One short label for why an exercise failed, comparable across students."""
    if v.get("mistake"):
        return v["mistake"]
    if v.get("diagnosis"):
        return v["diagnosis"]
    raised = v.get("raised")
    if raised == "TimeoutError":
        return "time-out (ran past the bound of one call)"
    if raised:
        return f"raised {raised}"
    summary = v.get("summary") or ""
    summary = re.sub(r"\d+ of \d+ values differ", "wrong values", summary)
    return summary.split(":")[0][:80] or "wrong answer"


def is_blank(v: dict) -> bool:
    return v.get("blank", v.get("raised") == BLANK)


def summary(details: list[dict]) -> dict:
    per: dict[str, dict] = {}
    for d in details:
        for v in d["exercises"]:
            s = per.setdefault(
                v["exercise"],
                {
                    "points": v["max_points"],
                    "passed": 0,
                    "graded": 0,
                    "blank": [],
                    "wrong": [],
                    "mistakes": Counter(),
                },
            )
            s["graded"] += 1
            if v["passed"]:
                s["passed"] += 1
            elif is_blank(v):
                s["blank"].append(d["student"])
            else:
                s["wrong"].append(d["student"])
                s["mistakes"][diagnosis(v)] += 1
    return per


def names(students: list[str], limit: int = 8) -> str:
    shown = ", ".join(students[:limit])
    return shown + (f" and {len(students) - limit} more" if len(students) > limit else "")


def markdown(details: list[dict]) -> str:
    rows = [d["row"] for d in details]
    n = len(rows)
    lines = ["# Class report", ""]
    if n:
        scores = sorted(float(r["score"]) for r in rows)
        top = float(rows[0]["max_score"])
        mean = sum(scores) / n
        lines += [
            f"{n} submissions; mean {mean:.2f} / {top:g}, median {scores[n // 2]:g}; "
            f"{sum(s == top for s in scores)} with full marks, {sum(s == 0 for s in scores)} with 0.",
            "",
        ]
    lines += [
        "| exercise | points | pass rate | blank | tried, wrong | most frequent diagnoses |",
        "|---|---|---|---|---|---|",
    ]
    per = summary(details)
    for name, s in per.items():
        rate = f"{s['passed']}/{n} ({100 * s['passed'] / n:.0f}%)" if n else "-"
        common = "; ".join(f"{m} ({k})" for m, k in s["mistakes"].most_common(3)) or "-"
        common = common.replace("|", "/")
        lines.append(
            f"| {name} | {s['points']:g} | {rate} | {len(s['blank'])} | {len(s['wrong'])} "
            f"| {common} |"
        )
    failing = [(name, s) for name, s in per.items() if s["blank"] or s["wrong"]]
    if failing:
        lines += ["", "## Who fails what", ""]
        for name, s in failing:
            parts = []
            if s["wrong"]:
                parts.append(f"tried, wrong: {names(s['wrong'])}")
            if s["blank"]:
                parts.append(f"blank: {names(s['blank'])}")
            lines.append(f"- **{name}**: " + "; ".join(parts))
    flagged = [r for r in rows if r["flagged"]]
    lines += ["", f"## Flagged submissions ({len(flagged)})", ""]
    lines += [f"- **{r['student']}** ({float(r['score']):g}): {r['reason']}" for r in flagged]
    lines += ["", "![grade distribution](grade_distribution.png)", ""]
    return "\n".join(lines)


def plot(details: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows = [d["row"] for d in details]
    scores = np.array([float(r["score"]) for r in rows])
    top = float(rows[0]["max_score"]) if rows else 1.0
    fig, ax = plt.subplots(figsize=(6, 3))
    bins = np.arange(-0.5, top + 1.5, 1.0)
    ax.hist(scores, bins=bins, color="tab:blue", edgecolor="white")
    ax.set_xlabel(f"score (out of {top:g})")
    ax.set_ylabel("students")
    ax.set_title(f"grade distribution ({len(rows)} submissions)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write(reports: Path, details: list[dict]) -> Path:
    reports.mkdir(parents=True, exist_ok=True)
    plot(details, reports / "grade_distribution.png")
    out = reports / "class_report.md"
    out.write_text(markdown(details))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path, help="reports/<assignment>")
    args = parser.parse_args(argv)
    details = json.loads((args.reports / "details.json").read_text())
    print(write(args.reports, details))


if __name__ == "__main__":
    main()
