"""The layers' one direction of dependency, checked on the source: the core imports no jurisdiction pack.

Issue 16 moves what is New York's out of the core module by module; until it is done, the modules that still
import the New York pack are listed here, so that the list can only shrink: a new import of the pack from the core
fails this test."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "sanctuary"
PACK = "sanctuary.law.nyc"
#: Core modules that still import the New York pack, each to be moved into it or given the pack by the caller.
NOT_YET_MOVED = {
    "service/commands.py",  # the `report` command and GET /v1/reports/{law} call New York's statutory reports
    "service/routes/reports.py",
}


def _imports_pack(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACK):
            return True
        if isinstance(node, ast.Import) and any(alias.name.startswith(PACK) for alias in node.names):
            return True
    return False


def test_no_core_module_imports_a_jurisdiction_pack_but_those_not_yet_moved() -> None:
    core = [p for p in SRC.rglob("*.py") if "law/nyc" not in p.as_posix()]
    importing = {p.relative_to(SRC).as_posix() for p in core if _imports_pack(p)}
    assert importing <= NOT_YET_MOVED, sorted(importing - NOT_YET_MOVED)
    assert importing == NOT_YET_MOVED, f"moved out, remove from the list: {sorted(NOT_YET_MOVED - importing)}"
