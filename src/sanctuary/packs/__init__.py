"""The jurisdiction packs shipped with sanctuary: New York City's (``nyc``).

A pack is a vertical slice: its case format, its law (rule trees citing its clauses), its public data, its
reports, its scenarios — written with every layer of the core and imported by none of them. The core finds a pack
through the entry-point group ``sanctuary.jurisdictions`` (``sanctuary.jurisdictions``), never by importing it;
another jurisdiction's pack is a package of its own declaring the same group (``tests/packs/example_county``).
"""
