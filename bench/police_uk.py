"""Benchmark: a police.uk street-level file of 1,000,000 rows, counted and imported.

Not a test: it prints figures. It writes a synthetic, seeded police.uk-style CSV to /tmp
(three financial years and a quarter, several local authorities in one force), then:

1. counts it in this process through `assembly.core.audit_readers.read_audit_file` (the
   pure reading and counting), printing rows per second and this process's peak memory;
2. imports it the way an officer would from the command line (`flask audit import FILE
   --name ... --area ...`: the job, the data layer, an SQLite database made fresh under
   /tmp), printing rows per second and that process's peak memory (VmHWM).

    .venv/bin/python bench/police_uk.py [--rows 1000000] [--skip-import]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILE = Path("/tmp/police_uk_bench.csv")
DATABASE = Path("/tmp/police_uk_bench.sqlite3")
HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
FORCE = "Avon and Somerset Constabulary"
AUTHORITIES = ("Bath and North East Somerset", "Bristol", "North Somerset", "South Gloucestershire")
CRIME_TYPES = (
    "Anti-social behaviour",
    "Violence and sexual offences",
    "Criminal damage and arson",
    "Burglary",
    "Vehicle crime",
    "Shoplifting",
    "Other theft",
    "Public order",
    "Drugs",
)
OUTCOMES = ("Investigation complete; no suspect identified", "Under investigation", "")
MONTHS = [f"{2021 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(39)]  # Apr 2021 on


def write_file(rows: int, seed: int = 20261206) -> None:
    """The synthetic file: each row one crime, in month order as police.uk publishes."""
    rng = random.Random(seed)
    per_month = rows // len(MONTHS)
    with FILE.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        written = 0
        for index, month in enumerate(MONTHS):
            count = per_month if index < len(MONTHS) - 1 else rows - written
            for _ in range(count):
                authority = rng.choice(AUTHORITIES)
                crime = rng.choice(CRIME_TYPES)
                asb = crime == "Anti-social behaviour"
                writer.writerow(
                    (
                        "" if asb else f"{rng.getrandbits(64):016x}",
                        month,
                        FORCE,
                        FORCE,
                        f"{-2.5 + rng.random():.6f}",
                        f"{51.2 + rng.random():.6f}",
                        "On or near High Street",
                        f"E01{rng.randrange(14000, 15000):06d}",
                        f"{authority} {rng.randrange(1, 40):03d}{rng.choice('ABCDE')}",
                        crime,
                        "" if asb else rng.choice(OUTCOMES),
                        "",
                    )
                )
            written += count


def peak_kib() -> int:
    """This process's peak resident memory (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def count_here(rows: int) -> None:
    from assembly.core.audit_readers import read_audit_file

    start = time.perf_counter()
    with FILE.open("rb") as source:
        table = read_audit_file(source, FILE.name, AUTHORITIES[0])
    seconds = time.perf_counter() - start
    print(f"count (pure core): {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s")
    print(f"  periods: {', '.join(table.periods)}; {len(table.figures)} figures")
    print(f"  peak memory of this process (VmHWM): {peak_kib() / 1024:.0f} MiB")


def import_through_cli(rows: int) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(DATABASE) + suffix).unlink(missing_ok=True)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{DATABASE}", "FLASK_DEBUG": "1"}
    flask = str(ROOT / ".venv" / "bin" / "flask")
    subprocess.run(
        [flask, "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    command = [
        flask,
        "--app",
        "app",
        "audit",
        "import",
        str(FILE),
        "--name",
        "Bench",
        "--area",
        AUTHORITIES[0],
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        f"import (flask audit import, SQLite): {rows:,} rows in {seconds:.1f} s = "
        f"{rows / seconds:,.0f} rows/s (with the command's start-up)"
    )
    print(f"  peak memory of the import process (VmHWM): {max(peak, before) / 1024:.0f} MiB")
    print(f"  {(done.stdout or done.stderr).strip()[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    write_file(args.rows)
    size = FILE.stat().st_size / (1024 * 1024)
    print(
        f"wrote {FILE} ({args.rows:,} rows, {size:.0f} MiB) in "
        f"{time.perf_counter() - start:.1f} s; machine: {os.cpu_count()} CPUs"
    )
    count_here(args.rows)
    if not args.skip_import:
        import_through_cli(args.rows)


if __name__ == "__main__":
    main()
