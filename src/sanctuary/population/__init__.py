"""Populations: the same law over whole jail and arrest populations (issue 4).

``records`` reads public data and the project's formats into contract cases; ``evaluate`` decides every
distinct fact pattern with the single-case engine; ``compare`` accumulates counts, transitions and
breakdowns; ``report`` writes the JSON summary, the charts and the HTML page.
"""
