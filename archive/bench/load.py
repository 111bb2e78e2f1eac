"""``python -m archive.bench.load`` (``make loadtest``): the archive under concurrent readers.

Starts ``scripts/serve`` (gunicorn, production settings) on a free loopback port against the
benchmark's generated archive (or ``DATABASE_URL`` if given), after running
``count_archive`` on it as an operator does after a bulk load (its time is recorded), then
drives it with ``wrk``: 50 connections for 60 seconds each over

* ``baseline``: the trivial view (``/healthz``),
* ``mix_cold_start``: a realistic mix of readers' pages (details, lists, search, the
  open-data doors) on a server just started with an empty cache: every page is new, and
  so is every count but those of the big lists, which come from the database;
* ``mix``: the same mix for the next minute, on the same server, as readers find it once
  it has been up a while;
* ``details``: quote, speech, speaker and theme pages only (about a thousand distinct ones,
  so most are served from the page cache by now);
* ``details_rendered``: the same pages, each request with a query string of its own, so
  none is served from the page cache: every one is built, from cached counts.

and records requests per second, p95 latency and errors under ``"load"`` in
``var/bench.json``. The server's cache (``CACHE_DIR``) is a directory of this run's own,
emptied before the server starts, so every run begins from the same cold state.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from archive.bench.cache import BASE_DIR, CacheError, point_at_archive

LUA_SCRIPT = Path(__file__).with_name("wrk_paths.lua")
SEARCH_TERMS = (
    "NHS",
    "reconfiguration",
    "commissioners",
    '"failure regime"',
    "maternity services",
    "hospital closures",
    "patients OR clinicians",
    "autonomy -tender",
    "Barnsley",
    '"centres of excellence"',
)
MIX_WEIGHTS = {
    "quote": 25,
    "speech": 15,
    "speaker": 8,
    "theme": 7,
    "home": 10,
    "speech_list": 8,
    "quote_list": 7,
    "search": 15,
    "api": 3,
    "csv": 2,
}
DETAIL_KINDS = ("quote", "speech", "speaker", "theme")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m archive.bench.load", description=__doc__)
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        help="Serve the generated archive on this database (postgresql: restored into the "
        "empty database DATABASE_URL names, under scripts/pg-throwaway). Without it, the "
        "database DATABASE_URL names is served as it is, or the generated SQLite archive.",
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--paths", type=int, default=3000, help="Distinct URLs in the mix.")
    parser.add_argument("--output", type=Path, default=BASE_DIR / "var" / "bench.json")
    parser.add_argument("--cache-dir", type=Path, default=BASE_DIR / "var" / "bench")
    parser.add_argument("--work-dir", type=Path, default=BASE_DIR / "var" / "load")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def url_mix(count: int, seed: int) -> dict[str, list[str]]:
    """Paths per kind of page, drawn from the archive Django is configured for."""
    from django.db.models import Max

    from archive.bench.pages import api_quotes_url, route_exists
    from archive.models import Quote, Speaker, Speech, Theme

    rng = random.Random(seed)

    def sample_slugs(queryset, n: int) -> list[str]:
        top = queryset.aggregate(m=Max("id"))["m"] or 0
        ids = {rng.randint(1, top) for _ in range(n)} if top else set()
        return list(queryset.filter(id__in=ids).values_list("slug", flat=True))

    per_kind = max(20, count // len(MIX_WEIGHTS))
    speakers = sample_slugs(Speaker.objects.all(), per_kind)
    themes = list(Theme.objects.values_list("slug", flat=True))
    mix: dict[str, list[str]] = {
        "quote": [f"/quotes/{s}/" for s in sample_slugs(Quote.objects.published(), per_kind)],
        "speech": [f"/speeches/{s}/" for s in sample_slugs(Speech.objects.published(), per_kind)],
        "speaker": [f"/speakers/{s}/" for s in speakers],
        "theme": [f"/themes/{s}/" for s in themes],
        "home": ["/"],
        "speech_list": [
            "/speeches/?" + urlencode({"theme": rng.choice(themes), "speaker": s}) for s in speakers
        ],
        "quote_list": [
            "/quotes/?" + urlencode({"theme": rng.choice(themes), "page": rng.randint(1, 50)})
            for _ in range(per_kind)
        ],
        "search": ["/search/?" + urlencode({"q": term}) for term in SEARCH_TERMS]
        + ["/search/?" + urlencode({"q": "services", "theme": t}) for t in themes[:10]],
    }
    api = api_quotes_url()
    mix["api"] = [f"{api}?page={n}" for n in range(1, 11)] if api else []
    mix["csv"] = []  # measured by the page benchmark; too costly to hammer without a cap
    return {
        kind: paths for kind, paths in mix.items() if paths and all(map(route_exists, paths[:1]))
    }


def weighted(mix: dict[str, list[str]], kinds, count: int, seed: int) -> list[str]:
    """``count`` paths, each kind appearing in proportion to its weight."""
    rng = random.Random(seed)
    kinds = [k for k in kinds if k in mix]
    weights = [MIX_WEIGHTS[k] for k in kinds]
    return [rng.choice(mix[rng.choices(kinds, weights=weights)[0]]) for _ in range(count)]


def wait_until_healthy(base: str, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CacheError(f"scripts/serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise CacheError("the server did not become healthy in time")


def run_wrk(base: str, paths_file: Path, args: argparse.Namespace, *, fresh: bool = False) -> dict:
    """One wrk run over the paths in ``paths_file``; requests/s, p95 and errors.

    With ``fresh``, every request adds a query string of its own to its path.
    """
    command = [
        shutil.which("wrk") or "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={args.seconds}s",
        "--timeout=10s",
        f"--script={LUA_SCRIPT}",
        base,
    ]
    completed = subprocess.run(  # noqa: S603
        command,
        env={**os.environ, "WRK_PATHS": str(paths_file), "WRK_FRESH": "1" if fresh else ""},
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if completed.returncode != 0 or line is None:
        raise CacheError(f"wrk failed: {completed.stderr.strip() or completed.stdout[-500:]}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests_per_second": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "requests": raw["requests"],
        "errors": sum(raw["errors"].values()),
        "error_kinds": raw["errors"],
    }


def count_archive(scratch_cache: Path) -> float:
    """Run ``manage.py count_archive``, as after any bulk load; the seconds it took.

    Its cache is a scratch directory, dropped afterwards: the server starts with an empty
    cache and finds the counts in the database, as a newly started production server does.
    """
    print("count_archive ...", flush=True)
    shutil.rmtree(scratch_cache, ignore_errors=True)
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "manage.py"), "count_archive"],
        env={**os.environ, "CACHE_DIR": str(scratch_cache)},
        check=True,
    )
    shutil.rmtree(scratch_cache, ignore_errors=True)
    return round(time.monotonic() - started, 1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        print("loadtest: wrk is not installed (make deps-system installs it).", file=sys.stderr)
        return 1
    try:
        if args.database or not os.environ.get("DATABASE_URL"):
            point_at_archive(
                args.database or "sqlite",
                quotes=args.quotes,
                seed=args.seed,
                cache_dir=args.cache_dir,
            )
    except CacheError as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.db import connection

    from archive.bench import report

    vendor = connection.vendor
    mix = url_mix(args.paths, args.seed)
    connection.close()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "baseline": ["/healthz"],
        "mix_cold_start": weighted(mix, MIX_WEIGHTS, args.paths, args.seed),
        "mix": weighted(mix, MIX_WEIGHTS, args.paths, args.seed),
        "details": weighted(mix, DETAIL_KINDS, args.paths, args.seed),
        "details_rendered": weighted(mix, DETAIL_KINDS, args.paths, args.seed),
    }
    # What each run's requests add to its paths: a query string of their own defeats the
    # page cache (the detail pages ignore it).
    fresh = {"details_rendered": True}
    cache_dir = args.work_dir / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    for name, paths in files.items():
        (args.work_dir / f"{name}.txt").write_text("\n".join(paths) + "\n")

    counted_seconds = count_archive(args.work_dir / "count-cache")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (args.work_dir / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [str(BASE_DIR / "scripts" / "serve")],
        env={**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "CACHE_DIR": str(cache_dir)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so it can be stopped whole
    )
    try:
        wait_until_healthy(base, server)
        runs = {}
        for name in files:
            print(f"wrk: {name}, {args.connections} connections, {args.seconds}s ...", flush=True)
            runs[name] = run_wrk(
                base, args.work_dir / f"{name}.txt", args, fresh=fresh.get(name, False)
            )
            print(f"  {json.dumps(runs[name])}", flush=True)
    except CacheError as error:
        print(f"loadtest: {error} (see {args.work_dir / 'serve.log'})", file=sys.stderr)
        return 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    baseline_rps = runs["baseline"]["requests_per_second"]
    load = {
        "database": vendor,
        "seconds": args.seconds,
        "connections": args.connections,
        "server": "gunicorn gthread (scripts/serve)",
        "mix_kinds": {k: MIX_WEIGHTS[k] for k in mix},
        "count_archive_seconds": counted_seconds,
        **runs,
        "details_rps_vs_baseline": (
            round(runs["details"]["requests_per_second"] / baseline_rps, 3)
            if baseline_rps
            else None
        ),
        "details_rendered_rps_vs_baseline": (
            round(runs["details_rendered"]["requests_per_second"] / baseline_rps, 3)
            if baseline_rps
            else None
        ),
    }
    report.merge_load(args.output, vendor, load)
    print(
        f"baseline {baseline_rps} req/s; mix {runs['mix']['requests_per_second']} req/s "
        f"({runs['mix_cold_start']['requests_per_second']} from a cold start); details "
        f"{runs['details']['requests_per_second']} req/s "
        f"({runs['details_rendered']['requests_per_second']} with none from the page cache) "
        f"({load['details_rps_vs_baseline']} of baseline; target >= 0.25); errors "
        f"{sum(r['errors'] for r in runs.values())}. Wrote {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
