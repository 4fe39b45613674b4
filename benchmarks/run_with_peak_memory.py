"""Run ``sanctuary`` with the given arguments, then print this process's peak memory (KiB) on stderr.

Used by ``population.py``: a parent reading ``RUSAGE_CHILDREN`` would also count its other children (the
generator), so the measured process reports its own peak.
"""

from __future__ import annotations

import resource
import sys

from sanctuary.cli import app

if __name__ == "__main__":
    code: object = 0
    try:
        app(sys.argv[1:])
    except SystemExit as exit_:
        code = exit_.code
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
    raise SystemExit(code)
