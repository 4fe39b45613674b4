"""Law: the rule-tree vocabulary, offense lists, regimes, and the jurisdiction packs written with them.

Nothing here evaluates anything; ``sanctuary.engine`` does. A jurisdiction is a pack that implements
:class:`sanctuary.law.jurisdiction.Jurisdiction` and registers itself under the entry-point group
``sanctuary.jurisdictions`` (:mod:`sanctuary.jurisdictions`); New York City's is the ``nyc`` package here.
"""
