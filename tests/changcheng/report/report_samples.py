"""A ScanReport with every kind of finding the formats must handle, for golden-file tests."""

from __future__ import annotations

from changcheng.findings import Finding, FindingKind, Location, ScanReport, Severity


def sample_report() -> ScanReport:
    secret = Finding(
        kind=FindingKind.SECRET,
        rule_id="aws-access-key-id",
        title="AWS access key id",
        severity=Severity.CRITICAL,
        location=Location("src/settings.py", line=12, column=15, end_column=35),
        fingerprint="src/settings.py:aws-access-key-id:12",
        message="AWS access key id: AKIA****************",
        help_uri="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        details={"match": "AKIA****************", "entropy": 3.68},
    )
    history = Finding(
        kind=FindingKind.SECRET,
        rule_id="generic-api-key",
        title="Generic API key | token",
        severity=Severity.MEDIUM,
        location=Location(
            "deploy/old config.env",
            line=3,
            commit="0123456789abcdef0123456789abcdef01234567",
            author="Dev <dev@example.com>",
            date="2024-05-01T10:00:00+00:00",
        ),
        fingerprint="0123456789abcdef0123456789abcdef01234567:deploy/old config.env:generic-api-key:3",
        message="Generic API key: api_key=sk****",
    )
    vuln = Finding(
        kind=FindingKind.VULNERABILITY,
        rule_id="PYSEC-2023-74",
        title="requests leaks Proxy-Authorization headers",
        severity=Severity.HIGH,
        location=Location("requirements.txt", line=4),
        fingerprint="requirements.txt:requests:PYSEC-2023-74",
        message="requests 2.30.0 is vulnerable; fixed in 2.31.0",
        aliases=("CVE-2023-32681", "GHSA-j8r2-6x86-q33q"),
        score=6.1,
        details={"package": "requests", "installed": "2.30.0", "fixed": "2.31.0"},
    )
    unknown = Finding(
        kind=FindingKind.VULNERABILITY,
        rule_id="PYSEC-2099-1",
        title="no score",
        severity=Severity.UNKNOWN,
        location=Location("<environment>"),
        fingerprint="env:demo:PYSEC-2099-1",
    )
    low = Finding(
        kind=FindingKind.SECRET,
        rule_id="jwt",
        title="JSON Web Token",
        severity=Severity.LOW,
        location=Location("tests/fixture.txt", line=1),
        fingerprint="tests/fixture.txt:jwt:1",
        message="JSON Web Token: eyJh****",
    )
    accepted = Finding(
        kind=FindingKind.SECRET,
        rule_id="aws-access-key-id",
        title="AWS access key id",
        severity=Severity.CRITICAL,
        location=Location("docs/example.md", line=7),
        fingerprint="docs/example.md:aws-access-key-id:7",
        message="AWS access key id: AKIA****************",
    )
    return ScanReport(
        scan="secrets",
        tool_version="0.1.0",
        findings=(low, history, unknown, vuln, secret),
        suppressed=((accepted, "baseline .changcheng-baseline.json"),),
        stats={"files": 42, "bytes": 123456, "skipped_binary": 2},
        warnings=("rule 'weird' not compiled: \\C is not supported",),
        root="/src/project",
    )


def empty_report() -> ScanReport:
    return ScanReport(scan="deps", tool_version="0.1.0", findings=(), root="/src/project")
