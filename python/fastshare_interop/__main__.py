"""``python -m fastshare_interop cleanup|list``: the original fastshare command, over the Java side's
block directory. Exit codes as the Java CLI: 0 done, 1 some blocks could not be reclaimed, 2 usage
error, 4 the directory cannot be read."""
from __future__ import annotations

import argparse
import json
import re
import sys
import time

from . import _directory, _janitor
from .errors import FastShareError

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)?")
_UNITS = {"ms": 0.001, "s": 1, None: 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """``0``, ``500ms``, ``30s``, ``2m``, ``1h``, ``1d`` or a bare number of seconds."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use 0, 500ms, 30s, 2m, 1h, 1d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} B" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _age(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60}m"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dir", "--directory", dest="directory", default=None,
                        help="block directory (default: $FASTSHARE_DIRECTORY, else /dev/shm/fastshare)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser = argparse.ArgumentParser(prog="python -m fastshare_interop", parents=[common],
                                     description="List and clean up fastshare blocks (Java and Python writers).")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", parents=[common], help="list every block with state, size, age, expiry, owner")
    clean = commands.add_parser("cleanup", parents=[common],
                                help="reclaim expired blocks, blocks of dead owners after the grace period, "
                                     "corrupt files and stale leases")
    clean.add_argument("--dry-run", "-n", action="store_true", help="report what would be reclaimed, delete nothing")
    clean.add_argument("--verbose", "-v", action="store_true", help="list every reclaimed and skipped block")
    clean.add_argument("--quiet", "-q", action="store_true", help="print nothing unless something failed")
    clean.add_argument("--grace", type=parse_duration, default=_janitor.DEFAULT_GRACE,
                       help="grace period for blocks of dead owners (default 1m)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:
        return 2 if e.code not in (0, None) else 0
    directory = _directory.resolve(args.directory)
    try:
        if args.command == "list":
            return _list(directory, args.json)
        return _cleanup(directory, args)
    except FastShareError as e:
        print(f"error: {e}", file=sys.stderr)
        return 4


def _list(directory: str, as_json: bool) -> int:
    infos = _janitor.blocks(directory=directory)
    if as_json:
        print(json.dumps([info.__dict__ for info in infos]))
        return 0
    now = time.time()
    print(f"{'NAME':38} {'STATE':10} {'SIZE':>10} {'AGE':>7} {'EXPIRES IN':>10}  {'OWNER':12} PID")
    for i in infos:
        expires = "never" if i.expires is None else ("passed" if i.expires <= now else _age(i.expires - now))
        print(f"{i.name:38} {i.state:10} {_size(i.size):>10} {_age(i.age):>7} {expires:>10}  "
              f"{(i.owner or '-')[:12]:12} {i.pid}")
    counts: dict[str, int] = {}
    for i in infos:
        counts[i.state] = counts.get(i.state, 0) + 1
    summary = ", ".join(f"{n} {s.lower()}" for s, n in sorted(counts.items()))
    print(f"{len(infos)} blocks, {_size(sum(i.size for i in infos))} in {directory}"
          + (f" ({summary})" if summary else ""))
    return 0


def _cleanup(directory: str, args) -> int:
    result = _janitor.cleanup(dry_run=args.dry_run, grace=args.grace, directory=directory)
    if args.json:
        print(json.dumps(result.__dict__))
    elif not args.quiet:
        verb = "would reclaim" if result.dry_run else "reclaimed"
        if args.verbose:
            for name, state, size in result.cleaned:
                print(f"{verb} {name} {state} {_size(size)}")
            for name, reason in result.skipped:
                print(f"skipped {name}: {reason}")
        print(f"{verb} {len(result.cleaned)} blocks ({_size(result.bytes_reclaimed)}) and "
              f"{len(result.leases_reclaimed)} stale leases in {directory}; {len(result.skipped)} skipped, "
              f"{len(result.failed)} failed")
    for name, reason in result.failed:
        print(f"failed {name}: {reason}", file=sys.stderr)
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
