"""The benchmark's results: a printed table and ``var/bench.json``.

``var/bench.json`` has the shape the issue fixes::

    {"scale": {...},
     "databases": {"sqlite" | "postgresql": {"baseline_ms": x,
                                             "pages": {NAME: {"median_ms", "p95_ms",
                                                              "queries", "ratio_p95", ...}}}},
     "load": {"sqlite" | "postgresql": {"baseline": {...}, "mix": {...}, ...}}}

Each run replaces its own database's entry and keeps the others (and ``load``) as long as
they were measured at the same scale.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

# Targets from the issue: p95 within 20 times the trivial view's median, search within 40.
TARGET_RATIO = 20
SEARCH_TARGET_RATIO = 40


def target_for(name: str) -> int:
    return SEARCH_TARGET_RATIO if name.startswith("search") else TARGET_RATIO


def machine() -> dict:
    """What the figures were measured on (the README shows it beside the table)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
    }


def read(path: Path) -> dict:
    """The current results file, or an empty one if it is missing or unreadable."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_atomically(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    temporary.replace(path)


def merge_database(path: Path, *, scale: dict, vendor: str, result: dict) -> dict:
    """Write one database's results into ``path``, keeping the rest; returns the new file."""
    data = read(path)
    databases = data.get("databases") if isinstance(data.get("databases"), dict) else {}
    old_scale = data.get("scale") if isinstance(data.get("scale"), dict) else {}
    if old_scale.get("quotes") != scale.get("quotes") or old_scale.get("seed") != scale.get("seed"):
        databases = {}  # figures at another scale are not comparable
    versions = dict(old_scale.get("database_versions") or {}) if databases else {}
    versions.update(scale.get("database_versions") or {})
    databases[vendor] = result
    merged = {
        "scale": {**scale, "database_versions": versions},
        "databases": dict(sorted(databases.items())),
    }
    if "load" in data:
        merged["load"] = data["load"]
    write_atomically(path, merged)
    return merged


def merge_load(path: Path, vendor: str, load: dict) -> dict:
    """Write one database's load test figures under ``"load"``, keeping the page benchmark
    and the other database's load figures."""
    data = read(path)
    old = data.get("load") if isinstance(data.get("load"), dict) else {}
    # Figures from before the load test ran on both databases sit directly under "load".
    kept = {k: v for k, v in old.items() if k in ("sqlite", "postgresql") and k != vendor}
    data["load"] = {**kept, vendor: load}
    write_atomically(path, data)
    return data


def table(vendor: str, result: dict, skipped: dict[str, str]) -> str:
    """The figures for one database as a plain-text table."""
    lines = [
        f"{vendor}: baseline (trivial view) median {result['baseline_ms']:.2f} ms",
        f"{'page':<24} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'p95/base':>9}  target"
        f"      {'first ms':>9} {'rendered p95':>13} {'/base':>7}",
    ]
    for name, figures in result["pages"].items():
        ratio = figures["ratio_p95"]
        verdict = "ok" if ratio is not None and ratio <= target_for(name) else "OVER"
        lines.append(
            f"{name:<24} {figures['median_ms']:>10.2f} {figures['p95_ms']:>9.2f} "
            f"{figures['queries']:>8} {ratio:>9.1f}  <= {target_for(name)} {verdict:<4} "
            f"{figures.get('first_ms', 0):>9.1f} {figures.get('rendered_p95_ms', 0):>13.2f} "
            f"{figures.get('rendered_ratio_p95') or 0:>7.1f}"
        )
    for name, reason in skipped.items():
        lines.append(f"{name:<24} {reason}")
    return "\n".join(lines)


COUNTED = ("quotes", "speeches", "speakers")


def markdown(data: dict) -> str:
    """``var/bench.json`` as the Markdown table the README shows, with the machine."""
    scale = data.get("scale", {})
    machine_info = scale.get("machine", {})
    versions = ", ".join(f"{k} {v}" for k, v in scale.get("database_versions", {}).items())
    counts = {k: f"{scale[k]:,}" if isinstance(scale.get(k), int) else "?" for k in COUNTED}
    lines = [
        f"{counts['quotes']} quotes, {counts['speeches']} speeches, "
        f"{counts['speakers']} speakers (seed {scale.get('seed', '?')}); "
        f"{machine_info.get('cpu', '?')}, {machine_info.get('cores', '?')} cores, "
        f"{machine_info.get('memory_gb', '?')} GB, Python {machine_info.get('python', '?')}, "
        f"{versions}.",
        "",
        "| page | database | median ms | p95 ms | queries | p95 / baseline | first (cold) ms "
        "| rendered p95 ms | rendered p95 / baseline |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for vendor, result in data.get("databases", {}).items():
        lines.append(
            f"| trivial view (/healthz) | {vendor} | {result['baseline_ms']} | | 1 | | | | |"
        )
        for name, figures in result["pages"].items():
            lines.append(
                f"| {name} | {vendor} | {figures['median_ms']} | {figures['p95_ms']} | "
                f"{figures['queries']} | {figures['ratio_p95']} | {figures.get('first_ms', '')} | "
                f"{figures.get('rendered_p95_ms', '')} | {figures.get('rendered_ratio_p95', '')} |"
            )
    names = ("baseline", "mix_cold_start", "mix", "details", "details_rendered")
    for vendor, load in (data.get("load") or {}).items():
        runs = [run for run in names if isinstance(load, dict) and isinstance(load.get(run), dict)]
        if not runs:
            continue
        lines += [
            "",
            f"Load on {vendor} ({load.get('connections', '?')} connections, "
            f"{load.get('seconds', '?')} s each; baseline is /healthz):",
            "",
            "| run | requests/s | ratio to baseline | p95 ms | errors |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        baseline = load["baseline"].get("requests_per_second") if "baseline" in runs else None
        for run in runs:
            figures = {"p95_ms": "", "errors": "", **load[run]}
            rps = figures["requests_per_second"]
            ratio = round(rps / baseline, 2) if baseline else ""
            lines.append(f"| {run} | {rps} | {ratio} | {figures['p95_ms']} | {figures['errors']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("var/bench.json")
    print(markdown(read(source)))
