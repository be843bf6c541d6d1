"""Every refusal a service, a domain rule or a page raises is a translatable message.

The pages translate a refusal by looking its template up in the catalogues
(`rrms.web.i18n.localise`); that only works when the message was made with `N_`
(rrms/domain/messages.py). A refusal raised with an f-string or a plain literal reads
in English on an Albanian page, and the catalogue test cannot see it, since Babel only
extracts `N_(...)`. So this test reads the source of every module under
src/rrms/{services,domain,policy,web} and fails on each construction of a service
error (`ServiceError` and its subclasses) or of a domain `RuleBroken` whose message is
anything but `N_(...)`, `message_of(...)`, a call of a function declared to return a
`Message`, or a variable holding a message.

A variable is accepted unless the function (or module) that uses it assigns it a
plain string somewhere (a literal, an f-string, `"...".format(...)`, `%` or `+`), so
`message = f"..."; raise Invalid(message)` is caught too.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import rrms
from rrms.domain.errors import RuleBroken
from rrms.services.core.errors import ServiceError

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ROOT / "src" / "rrms"
PACKAGES = ("services", "domain", "policy", "web")
MESSAGE_MAKERS = {"N_", "message_of"}
RETURNS_MESSAGE = re.compile(r"\bMessage\b")

# Constructions whose message is deliberately not translated: (file relative to
# src/rrms, error class) -> why. Keep it short; each entry needs a reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("services/core/backups.py", "BackupFailed"): (
        "backups are made and restored at the command line only (`rrms db backup`, "
        "`rrms db restore`), which reads English; the text is pg_dump's or the system's"
    ),
}


def sources() -> Iterator[tuple[str, str, ast.Module]]:
    """(path relative to src/rrms, source, syntax tree) of every module checked."""
    for package in PACKAGES:
        for path in sorted((SOURCES / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            yield path.relative_to(SOURCES).as_posix(), source, ast.parse(source, str(path))


@cache
def message_makers() -> frozenset[str]:
    """`N_`, `message_of`, and every function or method declared `-> Message` (or
    `-> Message | None`): calling one gives a translatable message."""
    found = set(MESSAGE_MAKERS)
    for _relative, _source, tree in sources():
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.returns:
                continue
            if RETURNS_MESSAGE.search(ast.unparse(node.returns)):
                found.add(node.name)
    return frozenset(found)


def subclasses(base: type) -> set[type]:
    """`base` and every class that derives from it, at any depth."""
    found = {base}
    for child in base.__subclasses__():
        found |= subclasses(child)
    return found


def error_names() -> set[str]:
    """The names of every service error and domain rule error, once all modules loaded.

    Importing every module of the four packages (and the API, where errors such as
    `PayloadTooLarge` are declared) registers every subclass, wherever declared.
    """
    for package in (*PACKAGES, "api"):
        module = importlib.import_module(f"rrms.{package}")
        for info in pkgutil.walk_packages(module.__path__, f"rrms.{package}."):
            importlib.import_module(info.name)
    return {cls.__name__ for cls in subclasses(ServiceError) | subclasses(RuleBroken)}


def called_name(call: ast.Call) -> str | None:
    """The name a call is made by: `Invalid(...)` and `errors.Invalid(...)` give `Invalid`."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def is_plain_text(node: ast.expr) -> bool:
    """True when `node` builds a plain (untranslatable) string."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return is_plain_text(node.left) or isinstance(node.left, ast.JoinedStr)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in {"format", "join"} and is_plain_text(node.func.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id == "str"
    return False


def assigned_values(scope: ast.AST, name: str) -> Iterator[ast.expr]:
    """Every value `scope` assigns to the variable `name` (not counting nested functions)."""
    pending = list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                yield node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            if isinstance(node.target, ast.Name) and node.target.id == name and node.value:
                yield node.value
        elif isinstance(node, ast.NamedExpr) and node.target.id == name:
            yield node.value
        pending.extend(ast.iter_child_nodes(node))


def is_message(node: ast.expr, scope: ast.AST) -> bool:
    """True when `node` is a translatable message, or a variable holding one."""
    if isinstance(node, ast.Call):
        return called_name(node) in message_makers()
    if isinstance(node, ast.IfExp):
        return is_message(node.body, scope) and is_message(node.orelse, scope)
    if isinstance(node, ast.Name):
        values = list(assigned_values(scope, node.id))
        return all(is_message(value, scope) for value in values if not _opaque(value))
    # `error.message`, `problems[0]`: a message passed on
    return isinstance(node, (ast.Attribute, ast.Subscript))


def _opaque(value: ast.expr) -> bool:
    """A value the check cannot judge (a helper's result, a lookup): trusted, unless text."""
    return not is_plain_text(value) and not isinstance(value, (ast.Call, ast.IfExp))


def message_argument(call: ast.Call) -> ast.expr | None:
    """The message an error is constructed with: the first argument or `message=`."""
    if call.args:
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "message":
            return keyword.value
    return None


def scopes(tree: ast.Module) -> Iterator[tuple[ast.AST, ast.Call]]:
    """Every call in `tree`, with the innermost function (or the module) it is made in."""

    def walk(node: ast.AST, scope: ast.AST) -> Iterator[tuple[ast.AST, ast.Call]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else scope
            if isinstance(child, ast.Call):
                yield scope, child
            yield from walk(child, inner)

    yield from walk(tree, tree)


def offenders() -> list[str]:
    """`file:line: Error(<source of the message>)` for every untranslatable refusal."""
    names = error_names()
    found = []
    for relative, source, tree in sources():
        for scope, call in scopes(tree):
            error = called_name(call)
            if error not in names or (relative, error) in ALLOWED:
                continue
            message = message_argument(call)
            if message is None or is_message(message, scope):
                continue
            text = ast.get_source_segment(source, message) or "?"
            found.append(f"{relative}:{call.lineno}: {error}({' '.join(text.split())[:90]})")
    return found


def test_every_refusal_is_made_with_a_translatable_message() -> None:
    found = offenders()
    assert not found, (
        f"{len(found)} refusal(s) are plain strings, so the pages cannot translate them; "
        "write each with N_('template {name!r}', name=...) (rrms/domain/messages.py) and "
        "add its translation to both catalogues:\n" + "\n".join(found)
    )


def test_the_check_knows_the_errors_and_catches_a_plain_message() -> None:
    names = error_names()
    assert {"Invalid", "Conflict", "Forbidden", "NotFound", "RuleBroken"} <= names
    tree = ast.parse(
        "def f(x):\n"
        "    text = f'bad {x}'\n"
        "    raise Invalid(text, 'field')\n"
        "def g(x):\n"
        "    raise Invalid(N_('bad {x!r}', x=x), 'field')\n"
        "def h(exc):\n"
        "    raise Conflict(message_of(exc))\n"
        "def k(x):\n"
        "    raise NotFound('no such ' + x)\n"
        "def m(x):\n"
        "    raise Invalid(describe_plainly(x))\n"
        "def n(seconds):\n"
        "    raise TooManyAttempts(_refusal(seconds), seconds)\n"
    )
    judged = {
        scope.name: is_message(message_argument(call) or call, scope)  # type: ignore[attr-defined]
        for scope, call in scopes(tree)
        if called_name(call) in names
    }
    # `_refusal` (services/accounts/throttle.py) is declared `-> Message`
    assert judged == {"f": False, "g": True, "h": True, "k": False, "m": False, "n": True}


def test_every_allowed_exception_is_still_made_there() -> None:
    made = {
        (relative, called_name(call))
        for relative, _source, tree in sources()
        for _scope, call in scopes(tree)
    }
    assert set(ALLOWED) <= made, "an allowed exception is gone: remove it from ALLOWED"


def test_rrms_is_read_from_this_tree() -> None:
    assert Path(rrms.__file__).resolve().parent == SOURCES
