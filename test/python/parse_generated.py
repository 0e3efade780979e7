"""Parses every file of generated projects with the real parser of its language.

Input (argv[1]): a JSON list of {"root": folder, "name": project name, "well_formed": the name
as UTF-8 can hold it}. Output (stdout): a JSON list of problems, empty when every file parses and
the name reads back exactly from the Python, TOML and Markdown that hold it.
"""

import ast
import json
import sys
import tomllib
from pathlib import Path

import yaml
from markdown_it import MarkdownIt


def heading_text(markdown: str) -> tuple[str, list[str]]:
    """The first heading's text, and the kinds of inline tokens in it (only plain text is expected)."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            children = tokens[index + 1].children or []
            return "".join(child.content for child in children), sorted({child.type for child in children})
    return "", []


def check(root: Path, name: str, well_formed: str) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        where = f"{path.relative_to(root)}"
        source = path.read_text(encoding="utf-8")
        try:
            if path.suffix == ".py":
                compile(source, where, "exec", dont_inherit=True)
            elif path.suffix == ".toml" or path.name == "uv.lock":
                tomllib.loads(source)
            elif path.suffix in {".yml", ".yaml"}:
                yaml.safe_load(source)
        except Exception as error:  # noqa: BLE001 - every parser's error is a finding here
            problems.append(f"{where}: {type(error).__name__}: {error}")
    if problems:
        return problems
    views = next(root.glob("*/views.py"))
    module = ast.parse(views.read_text(encoding="utf-8"))
    literal = next(
        node.value for node in module.body if isinstance(node, ast.Assign) and node.targets[0].id == "SERVICE_NAME"
    )
    if ast.literal_eval(literal) != name:
        problems.append(f"views.py: SERVICE_NAME reads back as {ast.literal_eval(literal)!r}")
    description = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["description"]
    if description != well_formed:
        problems.append(f"pyproject.toml: description reads back as {description!r}")
    title, kinds = heading_text((root / "README.md").read_text(encoding="utf-8"))
    if title != well_formed or kinds not in ([], ["text"]):
        problems.append(f"README.md: title reads back as {title!r} ({kinds})")
    return problems


def main() -> None:
    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    problems = []
    for case in cases:
        problems += [f"{case['name']!r}: {problem}" for problem in check(Path(case["root"]), case["name"], case["well_formed"])]
    print(json.dumps(problems))


if __name__ == "__main__":
    main()
