"""The README's Layout section, made from the package's own docstrings.

    python scripts/readme_layout.py          # rewrite the section in README.md
    python scripts/readme_layout.py --check  # exit 1 when the README has drifted

Each folder is described by its ``__init__.py`` and each module by the first line of
its docstring, so the section says what the code says; tests/test_docs.py fails when
they disagree.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dsday_cli"
START, END = "<!-- layout: made by scripts/readme_layout.py -->", "<!-- layout end -->"


def summary(path: Path) -> str:
    """The first line of a module's docstring."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def layout() -> str:
    """The Layout block: folders in the order dependencies point, each with its modules."""
    lines = ["```", "dsday_cli/"]
    for path in sorted(PACKAGE.glob("*.py")):
        lines.append(f"  {path.name:<22}{summary(path)}")
    for folder in ("cli", "app", "views", "documents", "store", "core"):
        lines.append("")
        lines.append(f"  {folder + '/':<22}{summary(PACKAGE / folder / '__init__.py')}")
        for path in sorted((PACKAGE / folder).glob("*.py")):
            if path.name != "__init__.py":
                lines.append(f"    {path.name:<20}{summary(path)}")
    lines.append("```")
    return "\n".join(lines)


def with_layout(readme: str) -> str:
    """The README with its Layout block made anew."""
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{layout()}\n{END}{tail}"


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = with_layout(text)
    if "--check" in sys.argv[1:]:
        if new != text:
            print("README.md: the Layout section differs from the docstrings; run python scripts/readme_layout.py")
            return 1
        return 0
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
