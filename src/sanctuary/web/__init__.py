"""The web pages: a case workbench, a regime comparison and a law browser (``docs/web.md``), served by the
decision service. ``law`` views the rule trees with the statute beside them; ``routes`` serves the pages and
the JSON they use; ``static/`` holds the pages themselves (HTML, CSS, JavaScript; no build step)."""
