"""sanctuary: New York City's detainer laws as executable, cited, dated rules.

Layers, with imports pointing down only:

- ``sanctuary.facts``  — the case model (the public contract), charge codes, three-valued truth;
- ``sanctuary.law``    — the rule-tree vocabulary and the jurisdiction packs (``law.nyc``) written in it;
- ``sanctuary.engine`` — evaluation of rule trees over a case, and the decision built from the trace;
- ``sanctuary.cli``    — the command line.
"""

__version__ = "0.1.0"
