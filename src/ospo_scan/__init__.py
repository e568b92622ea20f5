"""ospo-scan: open source compliance scanner for Open Source Program Offices."""

__version__ = "0.1.0"
