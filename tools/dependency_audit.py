#!/usr/bin/env python3
"""The dependency audit, told honestly.

Runs `pip-audit -r requirements.txt -f json` and reports three things: how many packages were
audited, which could NOT be audited and why, and which have known vulnerabilities. pip-audit
alone says "No known vulnerabilities found" even when it could audit nothing at all (PyPI's JSON
API, which carries the vulnerability data, answers 404 through some mirrors and proxies), and its
--strict mode turns that into a failure that looks like a finding.

Exit status: 1 when a known vulnerability is found; otherwise 0, also when some or all packages
could not be audited (a network without a vulnerability database must not fail CI) - but then the
output says NOT AUDITED and never gives a clean verdict. --require-complete exits 2 in that case,
for a machine that does reach the database.

    .venv/bin/python tools/dependency_audit.py [-r requirements.txt] [--require-complete]
    .venv/bin/python tools/dependency_audit.py --report saved.json   # read a saved pip-audit JSON report
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT_SECONDS = 900

EXIT_OK, EXIT_VULNERABLE, EXIT_INCOMPLETE = 0, 1, 2


@dataclass
class Vulnerability:
    id: str
    fix_versions: list[str]
    aliases: list[str] = field(default_factory=list)


@dataclass
class Package:
    name: str
    version: str
    vulnerabilities: list[Vulnerability] = field(default_factory=list)


@dataclass
class Skipped:
    name: str
    version: str
    reason: str


@dataclass
class Audit:
    audited: list[Package] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failure: str = ""  # pip-audit produced no report at all: nothing was audited

    @property
    def vulnerable(self) -> list[Package]:
        return [package for package in self.audited if package.vulnerabilities]

    @property
    def complete(self) -> bool:
        return not self.failure and not self.skipped


SKIP_SUFFIX = re.compile(r":\s*(?P<name>[^\s:()]+)\s*\((?P<version>[^()]*)\)\s*$")


def parse_report(text: str) -> Audit:
    """The packages of pip-audit's JSON report (`-f json`). Raises ValueError when `text` is not
    such a report."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        raise ValueError("no 'dependencies' list")
    audit = Audit()
    for entry in data["dependencies"]:
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ValueError(f"unreadable entry {entry!r}")
        name = str(entry["name"])
        if "skip_reason" in entry:
            reason = str(entry.get("skip_reason") or "no reason given")
            found = SKIP_SUFFIX.search(reason)
            version = str(entry.get("version") or (found.group("version") if found else ""))
            audit.skipped.append(Skipped(name, version, reason))
            continue
        vulns = [Vulnerability(str(v.get("id", "?")), [str(f) for f in v.get("fix_versions") or []],
                               [str(a) for a in v.get("aliases") or []])
                 for v in entry.get("vulns") or []]
        audit.audited.append(Package(name, str(entry.get("version", "")), vulns))
    return audit


def from_pip_audit(returncode: int, stdout: str, stderr: str) -> Audit:
    """The audit of one pip-audit run, whatever it printed."""
    try:
        return parse_report(stdout)
    except ValueError as error:
        last = [line.strip() for line in stderr.splitlines() if line.strip()]
        detail = last[-1] if last else f"no report ({error})"
        return Audit(failure=f"pip-audit exited with {returncode} without a report: {detail}")


def general_reason(skip: Skipped) -> str:
    """A skip reason without its trailing 'name (version)', so equal reasons group together."""
    return SKIP_SUFFIX.sub("", skip.reason).strip() or skip.reason


# What a skip reason means, where pip-audit's own words mislead.
HINTS = {
    "Dependency not found on PyPI and could not be audited":
        "PyPI's JSON API, which carries the vulnerability data, answered 404; through a mirror or proxy "
        "without that API every package looks missing",
}


def describe(package: Package | Skipped) -> str:
    return f"{package.name} {package.version}".strip()


def summarise(audit: Audit, *, require_complete: bool = False) -> tuple[list[str], int]:
    """The lines to print and the exit status."""
    lines: list[str] = []
    total = len(audit.audited) + len(audit.skipped)
    if audit.failure:
        lines.append(f"NOT AUDITED: no package was audited. {audit.failure}")
    else:
        lines.append(f"audited: {len(audit.audited)} of {total} packages (the pinned requirements and what "
                     "they pull in)")
    if audit.skipped:
        lines.append(f"NOT AUDITED: {len(audit.skipped)} of {total} packages; nothing is known about their "
                     "vulnerabilities:")
        by_reason: dict[str, list[Skipped]] = {}
        for skip in audit.skipped:
            by_reason.setdefault(general_reason(skip), []).append(skip)
        for reason, skips in by_reason.items():
            hint = f" ({HINTS[reason]})" if reason in HINTS else ""
            lines.append(f"  {reason}{hint}: {', '.join(describe(s) for s in skips)}")
    for package in audit.vulnerable:
        for vuln in package.vulnerabilities:
            aliases = f" ({', '.join(vuln.aliases)})" if vuln.aliases else ""
            fix = f"fixed in {', '.join(vuln.fix_versions)}" if vuln.fix_versions else "no fixed version yet"
            lines.append(f"VULNERABLE: {describe(package)}: {vuln.id}{aliases}, {fix}")

    vulnerable = audit.vulnerable
    if vulnerable:
        count = sum(len(p.vulnerabilities) for p in vulnerable)
        verdict = (f"FAILED: {count} known {'vulnerability' if count == 1 else 'vulnerabilities'} in "
                   f"{len(vulnerable)} {'package' if len(vulnerable) == 1 else 'packages'}")
        if not audit.complete:
            verdict += "; other packages were NOT AUDITED"
        lines.append(verdict)
        return lines, EXIT_VULNERABLE
    if audit.complete and total:
        lines.append(f"verdict: no known vulnerability in the {total} audited packages")
        return lines, EXIT_OK
    where = "Run `make audit` where https://pypi.org/pypi/<name>/<version>/json is reachable."
    if not audit.audited:
        if not total and not audit.failure:
            lines.append("NOT AUDITED: the report lists no package at all")
        lines.append(f"verdict: NOT AUDITED, nothing is known about vulnerabilities in the requirements. {where}")
    else:
        lines.append(f"verdict: INCOMPLETE, no known vulnerability in the {len(audit.audited)} audited packages, "
                     f"but {len(audit.skipped)} packages were NOT AUDITED. {where}")
    return lines, EXIT_INCOMPLETE if require_complete else EXIT_OK


def run_pip_audit(requirements: Path, pip_audit: Path) -> Audit:
    command = [str(pip_audit), "-r", str(requirements), "-f", "json", "--progress-spinner", "off"]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=PIP_AUDIT_SECONDS)
    except FileNotFoundError:
        return Audit(failure=f"{pip_audit} is not installed (make audit installs requirements-dev.txt)")
    except subprocess.TimeoutExpired:
        return Audit(failure=f"pip-audit did not finish within {PIP_AUDIT_SECONDS} s")
    return from_pip_audit(done.returncode, done.stdout, done.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-r", "--requirements", type=Path, default=ROOT / "requirements.txt")
    parser.add_argument("--pip-audit", type=Path, default=Path(sys.executable).parent / "pip-audit")
    parser.add_argument("--report", type=Path, help="read this saved pip-audit JSON report instead of running it")
    parser.add_argument("--require-complete", action="store_true",
                        help="exit 2 when any package could not be audited")
    args = parser.parse_args(argv)
    if args.report:
        audit = from_pip_audit(0, args.report.read_text(), "")
        source = str(args.report)
    else:
        audit = run_pip_audit(args.requirements, args.pip_audit)
        source = f"pip-audit -r {args.requirements.name}"
    lines, status = summarise(audit, require_complete=args.require_complete)
    print(f"dependency audit ({source}):")
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
