"""Law: the rule-tree vocabulary, regimes and reform files, and what the engine asks of a jurisdiction.

Nothing here evaluates anything; ``sanctuary.engine`` does. A jurisdiction is a pack that implements
:class:`sanctuary.law.jurisdiction.Jurisdiction` and registers itself under the entry-point group
``sanctuary.jurisdictions`` (:mod:`sanctuary.jurisdictions`); New York City's is ``sanctuary.packs.nyc``.
"""
