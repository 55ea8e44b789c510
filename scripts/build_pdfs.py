#!/usr/bin/env python3
"""Build the blank PDFs into output/ (or -o DIR): the same as ``werkbladen build``."""

from __future__ import annotations

import sys
from pathlib import Path

from werkbladen.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if "-o" not in args and "--output" not in args:
        args = ["-o", str(Path(__file__).resolve().parent.parent / "output"), *args]
    main(["build", *args])
