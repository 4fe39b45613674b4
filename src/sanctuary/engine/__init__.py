"""Engine: evaluation of rule trees in three-valued logic, and decisions read from the trace.

The engine knows nothing of New York, of files or of HTTP: it is given a jurisdiction pack and a case.
"""

from sanctuary.engine.decide import Decision, Outcome, decide, validate

__all__ = ["Decision", "Outcome", "decide", "validate"]
