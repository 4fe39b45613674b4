"""sanctuary: laws on cooperation with federal immigration enforcement — New York City's first — as executable,
cited, dated rules.

Layers, with imports pointing down only:

- ``sanctuary.facts``  — the frame every case shares and the machinery of a case format, three-valued truth;
- ``sanctuary.law``    — the rule-tree vocabulary, regimes, and what the engine asks of a jurisdiction;
- ``sanctuary.engine`` — evaluation of rule trees over a case, and the decision built from the trace;
- the uses, each reading the same rules: ``sanctuary.population`` (whole populations, columnar),
  ``sanctuary.web`` (the pages and their JSON), ``sanctuary.service`` (the HTTP service, its audit trail and
  the statutory reports), ``sanctuary.cli`` (the command line);
- ``sanctuary.packs``  — the jurisdictions, each a vertical slice written with every layer below (New York
  City's: ``sanctuary.packs.nyc``), found through entry points; no module above imports one.
"""

__version__ = "0.1.0"
