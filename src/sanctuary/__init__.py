"""sanctuary: New York City's detainer laws as executable, cited, dated rules.

Layers, with imports pointing down only:

- ``sanctuary.facts``  — the case model (the public contract), charge codes, three-valued truth;
- ``sanctuary.law``    — the rule-tree vocabulary and the jurisdiction packs (``law.nyc``) written in it;
- ``sanctuary.engine`` — evaluation of rule trees over a case, and the decision built from the trace;
- the uses, each reading the same rules: ``sanctuary.population`` (whole populations, columnar),
  ``sanctuary.web`` (the pages and their JSON), ``sanctuary.service`` (the HTTP service, its audit trail and
  the statutory reports), ``sanctuary.cli`` (the command line).
"""

__version__ = "0.1.0"
