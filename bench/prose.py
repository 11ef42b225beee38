"""Reader prose in the package's Python: string literals of six words or more.

Docstrings, error messages (``raise X("...")``, ``warnings.warn``), logging, argparse help,
schema field descriptions, markup and comments are not reader text and are left out. Prints
the literals per module, and the totals; ``--all`` lists each literal. Used by
``tests/test_prose.py`` and the closing notes of issue 10 (words of prose in src/).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "wavebook"
MIN_WORDS = 6
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’-]*")
_NOT_READER = {
    "add_argument",
    "add_parser",
    "ArgumentParser",
    "warn",
    "echo",
    "secho",
    "exit",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
    "print",
}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _is_docstring(node: ast.AST, parents: dict) -> bool:
    expr = parents.get(node)
    if not isinstance(expr, ast.Expr):
        return False
    owner = parents.get(expr)
    return isinstance(owner, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)


def _not_reader(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.keyword) and node.arg == "description":
            return True  # a schema field's documentation (pydantic Field)
        if isinstance(node, ast.Raise | ast.Assert):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _NOT_READER or name.endswith("Error"):
                return True
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Module):
            return False
    return False


def literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each reader-facing literal of six words or more in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = _parents(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else " X " for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if isinstance(parents.get(node), ast.JoinedStr):
                continue
            text = node.value
        else:
            continue
        if _is_docstring(node, parents) or _not_reader(node, parents):
            continue
        if text.lstrip().startswith(("<", "/*")):
            continue  # markup and bundled scripts: their words are tags and code
        if len(words(text)) >= MIN_WORDS:
            found.append((node.lineno, text))
    return found


def words(text: str) -> list[str]:
    """The words of a literal: space-separated tokens with a letter, leaving out identifiers
    and keys (``income_cat_w2``, ``group=low;moved=up``) and the ``X`` that stands for an
    f-string's values.

    >>> words("In wave {x} most people said they trust others.".replace("{x}", " X "))
    ['In', 'wave', 'most', 'people', 'said', 'they', 'trust', 'others.']
    >>> words(" X _share_w X _combined_w X ")
    []
    """
    return [
        token
        for token in text.split()
        if token != "X" and _WORD.search(token) and not any(c in token for c in "_=|")
    ]


def count(
    root: Path = SRC, skip: tuple[str, ...] = ("cli.py", "demo.py")
) -> dict[str, tuple[int, int]]:
    """{module: (literals, words)} for every module under ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        if path.name in skip:
            continue
        found = literals(path)
        if found:
            out[str(path.relative_to(root))] = (
                len(found),
                sum(len(words(t)) for _, t in found),
            )
    return out


if __name__ == "__main__":
    totals = count()
    for name, (n, total) in sorted(totals.items(), key=lambda kv: -kv[1][1]):
        print(f"{name:32} {n:4} literals {total:6} words")
        if "--all" in sys.argv:
            for line, text in literals(SRC / name):
                print(f"    {line:5}: {text[:110]!r}")
    print(
        f"{'total':32} {sum(n for n, _ in totals.values()):4} literals "
        f"{sum(w for _, w in totals.values()):6} words"
    )
    topics = {k: v for k, v in totals.items() if k.startswith("topics/")}
    print(
        f"{'of which topics/':32} {sum(n for n, _ in topics.values()):4} literals "
        f"{sum(w for _, w in topics.values()):6} words"
    )
