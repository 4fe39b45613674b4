"""The layers' one direction of dependency, checked on the source: the core imports no jurisdiction pack.

Issue 16 moved what is New York's out of the core module by module (the loaders, the generator, the statutory
reports) until no core module imports the New York pack: the core reaches it only through the
:class:`~sanctuary.law.jurisdiction.Jurisdiction` interface, given the pack by its caller or by
``sanctuary.jurisdictions.load()``. A new import of the pack from the core fails this test."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args

SRC = Path(__file__).resolve().parents[1] / "src" / "sanctuary"
PACK = "sanctuary.packs.nyc"


def _imports_pack(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACK):
            return True
        if isinstance(node, ast.Import) and any(alias.name.startswith(PACK) for alias in node.names):
            return True
    return False


def test_no_core_module_imports_a_jurisdiction_pack() -> None:
    core = [p for p in SRC.rglob("*.py") if "packs/" not in p.as_posix()]
    importing = {p.relative_to(SRC).as_posix() for p in core if _imports_pack(p)}
    assert importing == set(), sorted(importing)


def test_the_check_sees_an_import_of_the_pack() -> None:
    """The test above is not empty for want of looking: the core has modules, and an import of the pack, as the
    pack's own modules make, is found (top-level, inside a function, ``from`` or plain)."""
    assert len([p for p in SRC.rglob("*.py") if "packs/" not in p.as_posix()]) > 40
    assert _imports_pack(SRC / "packs" / "nyc" / "reports" / "compute.py")  # from sanctuary.packs.nyc import NYC
    assert _imports_pack(SRC / "packs" / "nyc" / "__init__.py")  # inside reports(): a lazy import


def test_deciding_a_case_does_not_load_the_reports() -> None:
    """The pack imports its statutory reports when one is asked for (``Jurisdiction.reports``), not when it is
    loaded to decide a case."""
    case = Path(__file__).resolve().parents[1] / "examples" / "doc-detainer.json"
    script = (
        "import sys\n"
        "from sanctuary.packs.nyc import NYC\n"
        "from sanctuary.engine.decide import decide\n"
        "from sanctuary.packs.nyc.case import parse_case\n"
        f"decide(parse_case(open({str(case)!r}, 'rb').read()), NYC, explain=True)\n"
        "assert 'sanctuary.packs.nyc.reports' not in sys.modules\n"
        "assert NYC.reports().laws == ('9-131', '14-154', '9-205', '10-178')\n"
        "assert 'sanctuary.packs.nyc.reports' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


#: New York's facts that the population tables once spelled out in the core (issue 16): now the NYC pack's
#: tables layout (``packs/nyc/tables.py``) declares them and the core derives the tables from it.
NEW_YORK_FACTS = (
    "convictions",
    "pending_charges",
    "instant_arrest_date",
    "judgment_date",
    "offense_date",
    "incarceration",
    # the breakdowns a comparison counts and its report shows (the pack's ``Breakdown``s)
    "charge_group",
    "custody_status",
    "gang_flag",
    "age_group",
)


def _code_words(path: Path) -> set[str]:
    """The names and string literals of a module's code (docstrings left out: they may give an example)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words.add(node.value)
        elif isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.arg):
            words.add(node.arg)
    return words


def _new_york_facts_in(path: Path) -> set[str]:
    return {fact for word in _code_words(path) for fact in NEW_YORK_FACTS if fact in word}


def test_the_core_population_modules_name_no_new_york_fact() -> None:
    """The tables layout (columns, item tables, the look-back's facts) is the pack's: no population module's code
    names one of New York's facts; only the pack's tables layout does."""
    found = {p.name: sorted(facts) for p in (SRC / "population").glob("*.py") if (facts := _new_york_facts_in(p))}
    assert found == {}
    # Not empty for want of looking: the pack's layout names them all, the core's layout module is read.
    assert _new_york_facts_in(SRC / "packs" / "nyc" / "tables.py") == set(NEW_YORK_FACTS)
    assert "TablesLayout" in _code_words(SRC / "population" / "tables.py")
    assert "breakdowns" in _code_words(SRC / "population" / "compare.py")


# The request bodies of the core: what they say that is a jurisdiction's law comes from the pack (issue 16).
CORE_BODIES = ("service/models.py", "service/docket_models.py", "service/bodies.py")
# New York's recording vocabulary as it was in the core's bodies: its names …
NYC_NAMES = {"DetainerReason", "InformationKind", "ActionType", "HoldEndReason", "REQUESTING_AGENCIES",
             "OTHER_AGENCY", "AGENCY_WORDS", "looks_like_a_name", "requesting_agency", "RecordFacts", "ActionFields",
             "ScaapAmount", "Withholding", "ReportInput", "scaap", "withholding", "SCAAP"}  # fmt: skip


def _nyc_words() -> set[str]:
    """… and its words, read from the pack: every action an agency records, every kind of information, every
    requesting agency's code, the fields of a request's facts."""
    from sanctuary.packs.nyc import recording

    kinds = set(get_args(recording.InformationKind)) - {"other"}
    return (
        set(get_args(recording.ActionType))
        | kinds
        | set(recording.REQUESTING_AGENCIES)
        | set(recording.RecordFacts.model_fields) - {"received"}
    )


def _words_in(path: Path) -> set[str]:
    """Every name and every word of every string (docstrings too) of a module."""
    words: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.alias):
            words.add(node.asname or node.name.rsplit(".", 1)[-1])
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            words.add(node.name)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.update(re.findall(r"[A-Za-z_]+", node.value))
    return words


def test_the_core_s_request_bodies_name_no_new_york_action_or_agency() -> None:
    vocabulary = NYC_NAMES | _nyc_words()
    named = {body: sorted(_words_in(SRC / body) & vocabulary) for body in CORE_BODIES}
    assert named == {body: [] for body in CORE_BODIES}


def test_the_vocabulary_check_sees_new_york_s_words() -> None:
    """The test above is not empty for want of looking: the pack's own module names them all."""
    vocabulary = NYC_NAMES | _nyc_words()
    assert {"held_beyond_release", "NYSP", "requester_agency", "release_date"} <= vocabulary
    assert {"held_beyond_release", "NYSP", "ActionType", "ScaapAmount"} <= _words_in(SRC / "packs/nyc/recording.py")
