"""The service's routes, one router per area, each built by a function that takes what its routes need:

- ``law.py`` — health, the regimes, the case format; and the deployment's privacy policy (any role);
- ``decisions.py`` — deciding and explaining cases, each decision recorded (officers);
- ``records.py`` — a recorded decision fetched, and the actions the agency then took (officers);
- ``reports.py`` — aggregates and the statutory reports (analysts);
- ``admin.py`` — API keys and the audit trail's check (administrators).

The routes only speak HTTP: they read the request, call the module that knows the matter (``decisions``,
``store``, ``audit``, ``reports``), and turn its answer or its refusal into a status code and a body.
:func:`sanctuary.service.app.create_app` includes the routers; the order it includes them in is the order
of the paths in the OpenAPI document. The web pages' routes are in :mod:`sanctuary.web.routes`.
"""
