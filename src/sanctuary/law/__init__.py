"""Law: the rule-tree vocabulary, offense lists, regimes, and the jurisdiction packs written with them.

Nothing here evaluates anything; ``sanctuary.engine`` does. A jurisdiction is a pack under this package
(``sanctuary.law.nyc``) that implements :class:`sanctuary.law.jurisdiction.Jurisdiction`.
"""
