"""``python -m archive.bench``: build (or reuse) a synthetic archive and time every page type.

    python -m archive.bench --database sqlite --quotes 1000000
    scripts/pg-throwaway python -m archive.bench --database postgresql --quotes 1000000

``make bench`` runs both. Results are printed and merged into ``var/bench.json``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from archive.bench.cache import BASE_DIR, CacheError, point_at_archive


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m archive.bench", description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repetitions", type=int, default=30, help="Timed requests per page.")
    parser.add_argument(
        "--budget",
        type=float,
        default=90,
        help="Seconds per page after which timing stops early (at least 3 requests).",
    )
    parser.add_argument("--output", type=Path, default=BASE_DIR / "var" / "bench.json")
    parser.add_argument("--cache-dir", type=Path, default=BASE_DIR / "var" / "bench")
    args = parser.parse_args(argv)
    if args.quotes < 1 or args.repetitions < 1:
        parser.error("--quotes and --repetitions must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        point_at_archive(
            args.database, quotes=args.quotes, seed=args.seed, cache_dir=args.cache_dir
        )
    except CacheError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    # Measure as production runs: no debug toolbar-like overhead, no query log kept.
    os.environ["DEBUG"] = "0"
    # ``first_ms`` is what counting costs the first reader: no counts kept in the database
    # from an earlier run (or from ``make loadtest``'s count_archive) may stand in for it.
    os.environ["ARCHIVE_STORED_SUMMARIES"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.db import connection

    from archive.bench import report
    from archive.bench.runner import archive_size, database_version, run_benchmark

    vendor = connection.vendor
    print(f"Measuring {vendor} ({args.repetitions} timed requests per page):")
    result, skipped = run_benchmark(
        repetitions=args.repetitions, budget_seconds=args.budget, say=print
    )
    scale = {
        **archive_size(),
        "seed": args.seed,
        "repetitions": args.repetitions,
        "machine": report.machine(),
        "database_versions": {vendor: database_version()},
    }
    report.merge_database(args.output, scale=scale, vendor=vendor, result=result)
    print(report.table(vendor, result, skipped))
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
