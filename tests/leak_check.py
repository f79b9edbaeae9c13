#!/usr/bin/env python3
"""Looks for secrets in everything a test run printed (the last step of tests/leak-sweep.sh).

A secret counts as leaked when any run of 16 characters of it appears in a scanned file: the
canary secret key, or any UserSig the emulators received during the run (one per line in the
``--usersigs`` file). That is the same threshold the library redacts at, so a hit means either
a missing redaction or something that printed a credential outright. A URL query with a
``usersig=`` value is a hit too.

Usage: leak_check.py --canary KEY --usersigs FILE PATH...   (directories are walked)
       leak_check.py --self-test
Exit status 1 when anything leaked (the hits are listed, masked).
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
from typing import Dict, Iterable, List, Tuple

FRAGMENT = 16
#: Characters of a UserSig (URL-safe base64 variant) and of a hex or base64 key.
RUN = re.compile(rf"[A-Za-z0-9*_\-+/=]{{{FRAGMENT},}}")
QUERY = re.compile(rf"usersig=[A-Za-z0-9*_\-%]{{{FRAGMENT},}}", re.IGNORECASE)


def windows(secrets: Dict[str, str]) -> Dict[str, str]:
    """Every 16-character window of every secret, mapped to the secret's label."""
    out: Dict[str, str] = {}
    for label, secret in secrets.items():
        for i in range(len(secret) - FRAGMENT + 1):
            out.setdefault(secret[i : i + FRAGMENT], label)
    return out


def scan_text(text: str, table: Dict[str, str]) -> List[Tuple[int, str, str]]:
    """(line, label, masked fragment) of each hit in ``text``."""
    hits: List[Tuple[int, str, str]] = []
    for m in RUN.finditer(text):
        run = m.group()
        for i in range(len(run) - FRAGMENT + 1):
            label = table.get(run[i : i + FRAGMENT])
            if label is not None:
                line = text.count("\n", 0, m.start() + i) + 1
                hits.append((line, label, run[i : i + 4] + "…"))
                break
    for m in QUERY.finditer(text):
        hits.append((text.count("\n", 0, m.start()) + 1, "usersig= in a URL", m.group()[:12] + "…"))
    return hits


def files(paths: Iterable[str]) -> Iterable[pathlib.Path]:
    for p in map(pathlib.Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file())
        elif p.is_file():
            yield p


def self_test() -> int:
    canary = "0123456789abcdef" * 4
    token = "eJwtzEELgjAYxvHvsnPIu7kZCh0iMYLoUEOhm7Qpb5GLOUcRffdMPT6-P8-zEPkpC9pb"
    table = windows({"canary key": canary, "UserSig #1": token})
    assert scan_text("nothing to see", table) == []
    assert scan_text(f"error: bad sig {token[5:5 + FRAGMENT]} here", table)[0][1] == "UserSig #1"
    assert scan_text(f"x {canary[10:30]} y", table)[0][1] == "canary key"
    assert scan_text(f"short {token[:FRAGMENT - 1]} is fine", table) == []
    assert scan_text("GET /v4/x?usersig=eJwtzEELgjAYxvHvs&random=1", {})[0][1] == "usersig= in a URL"
    assert scan_text("usersig=[redacted]", table) == []
    print("leak-check self-test: a planted fragment of the key and of a UserSig, and a usersig= query, are found")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--canary")
    parser.add_argument("--usersigs")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.canary or not args.usersigs or not args.paths:
        parser.error("--canary, --usersigs and at least one path are required")
    tokens = sorted({t.strip() for t in pathlib.Path(args.usersigs).read_text().splitlines() if t.strip()})
    secrets = {"canary key": args.canary}
    secrets.update({f"UserSig #{i + 1}": t for i, t in enumerate(tokens)})
    table = windows(secrets)
    scanned = total = 0
    all_hits: List[Tuple[str, int, str, str]] = []
    for f in files(args.paths):
        text = f.read_bytes().decode("utf-8", errors="replace")
        scanned += 1
        total += len(text)
        all_hits += [(str(f), line, label, masked) for line, label, masked in scan_text(text, table)]
    for path, line, label, masked in all_hits:
        print(f"LEAK {path}:{line}: {label} ({masked})")
    print(
        f"leak-check: {scanned} files, {total} characters scanned; secrets: the canary key and "
        f"{len(tokens)} UserSigs issued during the run ({len(table)} 16-character windows); "
        f"leak hits: {len(all_hits)}"
    )
    if not tokens:
        print("leak-check: no UserSig was recorded: the sweep did not run against the canary emulators")
        return 1
    return 1 if all_hits else 0


if __name__ == "__main__":
    sys.exit(main())
