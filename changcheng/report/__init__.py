"""Output formats for a :class:`changcheng.findings.ScanReport`: one module per format."""
