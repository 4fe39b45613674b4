"""Names that mean one thing, and errors of one family.

A module-level class or function named like a builtin or a ``typing`` name (``Any``, ``Warning``, ``List``,
``type``) makes every reader of that module ask which is meant — the rule-tree node ``Any`` once shadowed
``typing.Any``. And every exception the project defines derives from :class:`SanctuaryError`, so that the
command line and the service map them to exit codes and statuses in one table, and a bug's ``KeyError``
never reaches a user as a 4xx.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pkgutil
import typing
from pathlib import Path

import sanctuary
from sanctuary.errors import EXIT_CODES, HTTP_STATUSES, InvalidInputError, NotFoundError, SanctuaryError

SRC = Path(sanctuary.__file__).parent
SHADOWED = set(dir(builtins)) | set(typing.__all__)


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_module_level_name_shadows_a_builtin_or_typing() -> None:
    found = []
    for path in _modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.name in SHADOWED:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.name}")
    assert not found, found


def test_every_exception_class_in_src_derives_from_sanctuary_error() -> None:
    for info in pkgutil.walk_packages(sanctuary.__path__, "sanctuary."):
        importlib.import_module(info.name)
    defined = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                defined.append((path, node.name))
    exceptions = []
    for path, name in defined:
        module = importlib.import_module(_module_name(path))
        cls = getattr(module, name, None)
        if inspect.isclass(cls) and issubclass(cls, BaseException):
            exceptions.append(cls)
    assert len(exceptions) >= 10  # the walk found them (CaseError, ChargeParseError, RegimeError, …)
    assert [c.__qualname__ for c in exceptions if not issubclass(c, SanctuaryError)] == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_tables_give_every_project_error_a_status() -> None:
    from sanctuary.errors import exit_code, http_status
    from sanctuary.facts.case import CaseError, Problem
    from sanctuary.law.regime import RegimeError
    from sanctuary.population.evaluate import ScenarioError

    case = CaseError([Problem("person.convictions[0].level", "not a level")])
    assert (exit_code(case), http_status(case), case.field) == (2, 422, "person.convictions[0].level")
    scenario = ScenarioError("regimes", "unknown nowhere")
    assert (exit_code(scenario), http_status(scenario)) == (2, 422)
    assert scenario.for_command_line() == "--regimes: unknown nowhere"
    assert (exit_code(NotFoundError("no decision 'x'")), http_status(NotFoundError("x"))) == (2, 404)
    assert str(NotFoundError("no decision 'x'")) == "no decision 'x'"  # not quoted, as a KeyError's would be
    assert http_status(RegimeError("regimes.toml: …")) == 500  # the package's own data: not the user's fault
    assert isinstance(case, ValueError) and isinstance(InvalidInputError("x"), ValueError)
    assert set(EXIT_CODES) >= {SanctuaryError} and set(HTTP_STATUSES) >= {SanctuaryError}
