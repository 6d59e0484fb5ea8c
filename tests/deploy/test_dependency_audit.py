"""tools/dependency_audit.py reads pip-audit's JSON report (canned here: no network) and never
gives a clean verdict for packages it could not audit."""

from __future__ import annotations

import json

import pytest

from tools.dependency_audit import (EXIT_INCOMPLETE, EXIT_OK, EXIT_VULNERABLE, from_pip_audit, main, parse_report,
                                    summarise)

CLEAN_WORDS = ("No known vulnerabilities found", "verdict: no known vulnerability")


def skipped(name: str, version: str) -> dict:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({version})"}


def audited(name: str, version: str, *vulns: dict) -> dict:
    return {"name": name, "version": version, "vulns": list(vulns)}


def report(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


FLASK_VULN = {"id": "PYSEC-2023-62", "fix_versions": ["2.2.5", "2.3.2"], "aliases": ["CVE-2023-30861"],
              "description": "Cookie set with Vary: Cookie missing"}


def verdict(text: str, **options) -> tuple[str, int]:
    lines, status = summarise(from_pip_audit(0, text, ""), **options)
    return "\n".join(lines), status


def test_nothing_audited_is_said_plainly_and_does_not_fail():
    """What this network gives: every package skipped (PyPI's JSON API answers 404)."""
    text, status = verdict(report(skipped("flask", "3.1.3"), skipped("werkzeug", "3.1.9")))
    assert status == EXIT_OK
    assert "NOT AUDITED: 2 of 2 packages" in text
    assert "flask 3.1.3, werkzeug 3.1.9" in text
    assert "audited: 0 of 2 packages" in text
    assert "verdict: NOT AUDITED" in text
    assert not any(word in text for word in CLEAN_WORDS), text


def test_partly_audited_names_the_rest_and_gives_no_clean_verdict():
    text, status = verdict(report(audited("flask", "3.1.3"), skipped("rl-accel", "0.9.1")))
    assert status == EXIT_OK
    assert "audited: 1 of 2 packages" in text
    assert "NOT AUDITED: 1 of 2 packages" in text and "rl-accel 0.9.1" in text
    assert "verdict: INCOMPLETE" in text
    assert not any(word in text for word in CLEAN_WORDS), text


def test_require_complete_fails_an_incomplete_audit():
    _, status = verdict(report(audited("flask", "3.1.3"), skipped("rl-accel", "0.9.1")), require_complete=True)
    assert status == EXIT_INCOMPLETE


def test_complete_clean_audit():
    text, status = verdict(report(audited("flask", "3.1.3"), audited("werkzeug", "3.1.9")))
    assert status == EXIT_OK
    assert "verdict: no known vulnerability in the 2 audited packages" in text
    assert "NOT AUDITED" not in text


def test_vulnerability_fails_with_its_id_and_fix():
    text, status = verdict(report(audited("flask", "2.2.0", FLASK_VULN), audited("werkzeug", "3.1.9")))
    assert status == EXIT_VULNERABLE
    assert "VULNERABLE: flask 2.2.0: PYSEC-2023-62 (CVE-2023-30861), fixed in 2.2.5, 2.3.2" in text
    assert "FAILED: 1 known vulnerability in 1 package" in text


def test_vulnerability_alongside_skips_fails_and_names_both():
    text, status = verdict(report(audited("flask", "2.2.0", {"id": "GHSA-x", "fix_versions": []}),
                                  skipped("pillow", "13.0.0")))
    assert status == EXIT_VULNERABLE
    assert "GHSA-x, no fixed version yet" in text
    assert "NOT AUDITED: 1 of 2 packages" in text and "pillow 13.0.0" in text


def test_no_report_at_all_is_not_audited():
    """pip-audit crashes without JSON when the vulnerability service cannot be reached at all."""
    audit = from_pip_audit(1, "", "Traceback (most recent call last):\n...\nrequests.exceptions.ConnectionError: "
                                  "HTTPSConnectionPool(host='api.osv.dev', port=443)\n")
    lines, status = summarise(audit)
    text = "\n".join(lines)
    assert status == EXIT_OK
    assert "NOT AUDITED: no package was audited" in text and "api.osv.dev" in text
    assert not any(word in text for word in CLEAN_WORDS), text
    assert summarise(audit, require_complete=True)[1] == EXIT_INCOMPLETE


def test_empty_report_is_not_a_clean_verdict():
    text, status = verdict(report())
    assert "NOT AUDITED" in text and not any(word in text for word in CLEAN_WORDS)
    assert status == EXIT_OK


@pytest.mark.parametrize("bad", ["No known vulnerabilities found", "[]", '{"fixes": []}',
                                 '{"dependencies": [{"version": "1"}]}'])
def test_parse_refuses_what_is_not_a_report(bad):
    with pytest.raises(ValueError):
        parse_report(bad)


def test_main_reads_a_saved_report(tmp_path, capsys):
    saved = tmp_path / "report.json"
    saved.write_text(report(audited("flask", "2.2.0", FLASK_VULN)))
    assert main(["--report", str(saved)]) == EXIT_VULNERABLE
    assert "VULNERABLE: flask 2.2.0" in capsys.readouterr().out


def test_missing_pip_audit_is_not_audited(tmp_path, capsys):
    assert main(["--pip-audit", str(tmp_path / "no-such-pip-audit")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "NOT AUDITED" in out and "is not installed" in out
