"""The report of ``make load``: the runs' figures side by side, their timelines, and the
ratio between the first run and the last (the starter and the reference fix) in the figure
the kata's scenario names (``dojo.course.scenario.MEASURES``)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from dojo.course.scenario import MEASURES
from dojo.server.load import Run


def report(runs: Sequence[Run], *, title: str, measure: str = MEASURES[0]) -> str:
    """The figures of the runs side by side, their timelines, and the ratio of the first and
    the last in ``measure``."""
    lines = [title, "", _table(runs, measure), ""]
    for run in runs:
        if run.errors:
            lines.append(_errors(run))
    if any(run.errors for run in runs):
        lines.append("")
    for run in runs:
        lines += [run.timeline(), ""]
    if len(runs) >= 2:
        lines.append(ratio(runs[0], runs[-1], measure))
    return "\n".join(lines).rstrip() + "\n"


# How a ratio reads, for each figure that is better when smaller: the ratio, the words for
# when the second run's figure is zero, and the figure's unit.
LESS_IS_BETTER = {
    "latency": (
        "took {times:.1f}x the median latency of {after}",
        "took a median {mine} where {after} took none",
        "{:.2f} s",
    ),
    "first_byte": (
        "took {times:.1f}x as long as {after} to send the first byte of a body (median)",
        "took a median {mine} to send the first byte of a body where {after} took none",
        "{:.2f} s",
    ),
    "upstream_calls": (
        "made {times:.1f}x the upstream calls of {after}",
        "made {mine} upstream calls where {after} made none",
        "{:.0f}",
    ),
    "upstream_in_flight": (
        "kept {times:.1f}x as many upstream calls in flight at once as {after}",
        "kept up to {mine} upstream calls in flight at once where {after} made none",
        "{:.0f}",
    ),
    "loop_stall": (
        "held the event loop {times:.1f}x as long at once as {after}",
        "held the event loop for up to {mine} at once where {after} never held it",
        "{:.2f} s",
    ),
    "probe_latency": (
        "kept another page waiting {times:.1f}x as long as {after} at worst",
        "kept another page waiting up to {mine} where {after} never did",
        "{:.2f} s",
    ),
    "held_threads": (
        "held {times:.1f}x as many threads waiting at once as {after}",
        "held up to {mine} threads waiting for async code at once where {after} held none",
        "{:.0f}",
    ),
}


# A stall this long outlasts the timeouts views give their calls and clients give a page:
# the requests that failed meanwhile failed because of it.
BLOCKED_LOOP_FAILS = 1.0
REPORT_WIDTH = 92


def ratio(before: Run, after: Run, measure: str = MEASURES[0]) -> str:
    """One line: how ``before`` and ``after`` compare in ``measure``."""
    if measure in LESS_IS_BETTER:
        return _less_is_better(before, after, measure)
    if before.requests_per_second == 0:
        if after.requests_per_second == 0:
            return f"Neither {before.label} nor {after.label} answered a request successfully."
        return (
            f"{after.label} served {after.requests_per_second:.1f} requests per second; "
            f"{before.label} answered none successfully."
        )
    times = after.requests_per_second / before.requests_per_second
    return (
        f"{after.label} served {times:.1f}x the requests per second of {before.label} "
        f"({after.requests_per_second:.1f} vs {before.requests_per_second:.1f})."
    )


def _less_is_better(before: Run, after: Run, measure: str) -> str:
    """The ratio of a figure where less is better: ``before``'s over ``after``'s."""
    mine, theirs = before.measure(measure), after.measure(measure)
    wording, when_zero, unit = LESS_IS_BETTER[measure]
    if mine is None or theirs is None:
        return f"No {measure.replace('_', ' ')} to compare: a run gave none."
    if theirs == 0:
        return f"{before.label} {when_zero.format(mine=unit.format(mine), after=after.label)}."
    figures = f"({unit.format(mine)} vs {unit.format(theirs)})"
    times = mine / theirs
    return f"{before.label} {wording.format(times=times, after=after.label)} {figures}."


def _table(runs: Sequence[Run], measure: str = MEASURES[0]) -> str:
    """The figures side by side; those that only some lessons need, only where they tell
    something: the first byte where it is the lesson, held threads and the upstream's
    counts where there were any."""
    rows: list[tuple[str, list[str]]] = [
        ("requests per second", [f"{run.requests_per_second:.1f}" for run in runs]),
        ("latency p50", [_seconds(run.latency_percentile(50)) for run in runs]),
        ("latency p95", [_seconds(run.latency_percentile(95)) for run in runs]),
        ("latency max", [_seconds(run.latency_percentile(100)) for run in runs]),
    ]
    if measure == "first_byte":
        rows.append(
            (
                "first byte of the body p50",
                [_seconds(run.first_byte_percentile(50)) for run in runs],
            )
        )
    rows += [
        ("errors", [str(sum(run.errors.values())) for run in runs]),
        ("event loop blocked, longest", [_seconds(run.longest_loop_stall) for run in runs]),
    ]
    if any(run.probes for run in runs):
        rows.append(
            ("another page meanwhile, slowest", [_seconds(run.slowest_probe) for run in runs])
        )
    if any(run.most_threads for run in runs):
        rows.append(("threads held waiting, most", [_count(run.most_threads) for run in runs]))
    rows.append(("burst took", [f"{run.finished - run.started:.2f} s" for run in runs]))
    if any(run.upstream and run.upstream.get("calls") for run in runs):
        rows += [
            (label, [str((run.upstream or {}).get(key, "-")) for run in runs])
            for label, key in (
                ("upstream calls", "calls"),
                ("upstream calls in flight, most", "peak_in_flight"),
                ("upstream connections opened", "connections"),
            )
        ]
    label_width = max(len(label) for label, _ in rows)
    width = max(12, *(len(run.label) + 2 for run in runs))
    lines = [" " * (label_width + 2) + "".join(f"{run.label:>{width}}" for run in runs)]
    for label, values in rows:
        lines.append(f"  {label:<{label_width}}" + "".join(f"{v:>{width}}" for v in values))
    return "\n".join(lines)


def _errors(run: Run) -> str:
    counts = ", ".join(f"{outcome} x{count}" for outcome, count in run.errors.most_common())
    line = f"{run.label} errors: {counts}."
    if run.last_error:
        line += f" The last one in the server's log:\n    {run.last_error}"
    return line + _blocked_loop(run)


def _blocked_loop(run: Run) -> str:
    """Why requests failed, when they failed while the server's event loop was blocked: the
    errors then name where a timeout ran out (httpx's ConnectTimeout at the view's call, a
    502), never the line that held the loop."""
    longest = run.longest_loop_stall
    if longest is None or longest < BLOCKED_LOOP_FAILS:
        return ""
    failed = [sample for sample in run.samples if not run.answered_right(sample)]
    # A request without the server's stamp never got the view's answer: the loop never
    # got back to it.
    during = [
        sample
        for sample in failed
        if sample.loop_stall is None or sample.loop_stall >= BLOCKED_LOOP_FAILS
    ]
    if not during:
        return ""
    if len(failed) == 1:
        which = "The failed request was"
    elif len(during) == len(failed):
        which = f"All {len(failed)} failed requests were"
    else:
        which = f"{len(during)} of the {len(failed)} failed requests were"
    return "\n" + textwrap.fill(
        f"{which} in the server while its event loop was blocked, for up to "
        f"{longest:.2f} s at once. A blocked loop runs nothing else: no request moves, "
        "not even to open a connection or read an answer, so the timeouts of their calls ran "
        "out (a view's 502 or 504, httpx's ConnectTimeout or ReadTimeout) or they were never "
        "answered. The service did not fail them: the blocked loop did. Find what holds the "
        "loop (the kata's tests name its line) and these errors go with it.",
        width=REPORT_WIDTH,
    )


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"
