"""``gfv check`` output: text (``path:line:col: CODE message``), one JSON object, or SARIF 2.1.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from editor import __version__
from editor.check.findings import Finding
from editor.check.runner import CheckReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

# Short descriptions of the rules gfv check reports itself (pylint's come from pylint).
RULES = {
    "SYN001": "The file does not parse.",
    "BLK003": "black cannot parse the file.",
    "BLK005": "Not checked: black failed internally; the file's formatting could not be checked.",
    "BLK006": "black would reformat this part of the file.",
    "PYL999": "Not checked: pylint could not check the file.",
    "GFV001": "The file cannot be read or decoded.",
    "PROP001": "A property of the module's <module>_properties.py is falsified (shrunk counterexample).",
    "PROP002": "A property run timed out.",
    "PROP003": "A property run exceeded its memory limit.",
    "PROP004": "A property run did a forbidden operation.",
    "PROP005": "A property run crashed.",
    "PROP007": "A property run exceeded the file-size limit.",
    "PROP008": "Not checked: the properties could not be run.",
    "PROP009": "A property run filled its work dir's disk quota.",
}


def _sorted(report: CheckReport) -> list[Finding]:
    return sorted(report.findings, key=lambda f: (f.path, f.line, f.col, f.code))


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def summary_line(report: CheckReport) -> str:
    """`N findings in M files (...) in X.XXs`, or `no findings (...)`."""
    files = len(report.files)
    errors = report.errors
    warnings = len(report.findings) - errors
    with_findings = len({f.path for f in report.findings if f.severity == "error"})
    head = (
        f"{errors} finding{_s(errors)} in {with_findings} file{_s(with_findings)}"
        if errors
        else "no findings"
    )
    extra = [f"{files} file{'s' if files != 1 else ''} checked", f"{report.cache_hits} from cache"]
    if warnings:
        extra.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if report.suppressed:
        extra.append(f"{report.suppressed} suppressed")
    return f"{head} ({', '.join(extra)}) in {report.seconds:.2f}s"


def render_text(report: CheckReport) -> str:
    """One finding a line, then the summary line."""
    lines = []
    for f in _sorted(report):
        tag = " [warning]" if f.severity != "error" else ""
        message = f.message.replace("\n", " ")
        lines.append(f"{f.path}:{f.line}:{f.col}: {f.code} {message}{tag}")
    lines.append(summary_line(report))
    return "\n".join(lines)


def render_json(report: CheckReport) -> dict[str, Any]:
    """One object: the findings and the counts."""
    return {
        "tool": "gfv",
        "version": __version__,
        "findings": [f.to_json() for f in _sorted(report)],
        "files": [
            {
                "path": r.display,
                "checker": r.checker,
                "findings": len(r.findings),
                "suppressed": r.suppressed,
                "cached": r.cached,
                **({"properties": r.sandbox} if r.sandbox is not None else {}),
            }
            for r in report.files
        ],
        "isolation": list(
            dict.fromkeys(
                layer for r in report.files if r.sandbox for layer in r.sandbox.get("isolation", [])
            )
        ),
        "summary": {
            "files": len(report.files),
            "errors": report.errors,
            "warnings": len(report.findings) - report.errors,
            "suppressed": report.suppressed,
            "cache_hits": report.cache_hits,
            "jobs": report.jobs,
            "seconds": round(report.seconds, 3),
            "exit_code": int(report.exit_code),
        },
    }


def _uri(path: str, root: Path) -> tuple[str, bool]:
    """(uri, relative to %SRCROOT%?) for a finding's path."""
    p = Path(path)
    absolute = p if p.is_absolute() else root / p
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix(), True
    except ValueError:
        return absolute.resolve().as_uri(), False


def _rule(finding: Finding) -> dict[str, Any]:
    text = RULES.get(finding.code) or (
        f"pylint {finding.symbol}" if finding.symbol else finding.message.split(":")[0]
    )
    rule: dict[str, Any] = {"id": finding.code, "shortDescription": {"text": text}}
    if finding.symbol:
        rule["name"] = finding.symbol
    rule["properties"] = {"validator": finding.checker}
    return rule


def render_sarif(report: CheckReport, root: Path | None = None) -> dict[str, Any]:
    """SARIF 2.1.0: one run, one rule per code, one result per finding; URIs relative to %SRCROOT%."""
    root = root or Path.cwd()
    findings = _sorted(report)
    rules: dict[str, dict[str, Any]] = {}
    for f in findings:
        rules.setdefault(f.code, _rule(f))
    index = {code: i for i, code in enumerate(rules)}
    results = []
    for f in findings:
        uri, relative = _uri(f.path, root)
        location: dict[str, Any] = {"uri": uri}
        if relative:
            location["uriBaseId"] = "%SRCROOT%"
        region: dict[str, Any] = {"startLine": f.line, "startColumn": f.col}
        if f.end_line and f.end_line > f.line:
            region["endLine"] = f.end_line
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": "error" if f.severity == "error" else "warning",
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gfv",
                        "version": __version__,
                        "rules": list(rules.values()),
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
                "results": results,
                "invocations": [{"executionSuccessful": True, "exitCode": int(report.exit_code)}],
            }
        ],
    }


def render(report: CheckReport, fmt: str) -> str:
    """The report in ``fmt`` ("text", "json" or "sarif")."""
    if fmt == "text":
        return render_text(report)
    data = render_json(report) if fmt == "json" else render_sarif(report)
    return json.dumps(data, indent=2, ensure_ascii=False)
