"""The decision service: an HTTP API over the engine, a tamper-evident audit trail of every decision and of
what the agency then did, API keys with roles, and the statutory reports computed from the trail.

Layers inside: ``audit`` (the hash chain, pure) → ``store`` (SQLite or PostgreSQL) → ``decisions`` (decide
and record, replay) → ``app`` (HTTP) and ``commands`` (the command line).
"""
