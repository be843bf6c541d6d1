"""Print the `--help` of every `rrms` command and subcommand, as Markdown sections.

docs/cli.md runs this through cog (`make docs` writes it, `make lint` checks it with
`cog --check`), so the command-line reference is the commands' own help and cannot
drift from it. The help is drawn at a fixed width without colour, whatever terminal
runs this, so the output depends on the code alone.
"""

from __future__ import annotations

import os
import re
from typing import Any

WIDTH = "88"

# Typer and Rich read these when they are imported or draw: fix them first.
for name in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERMINAL_WIDTH", "CLICOLOR_FORCE"):
    os.environ.pop(name, None)
os.environ.update({"COLUMNS": WIDTH, "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"})

import typer  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from rrms.cli.main import app  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under `command`, parents before their subcommands (in the
    order `--help` lists them). Duck-typed: Typer may bring its own copy of Click."""
    paths = [path]
    if hasattr(command, "list_commands"):
        with command.context_class(command) as ctx:
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    paths.extend(command_paths(sub, (*path, name)))
    return paths


def help_text(path: tuple[str, ...]) -> str:
    """The help `rrms PATH --help` prints, without colour or trailing blanks."""
    result = CliRunner().invoke(
        app, [*path, "--help"], prog_name="rrms", env={"COLUMNS": WIDTH}, color=False
    )
    if result.exit_code != 0:
        raise SystemExit(f"rrms {' '.join(path)} --help failed:\n{result.output}")
    lines = [ANSI.sub("", line).rstrip() for line in result.output.splitlines()]
    return "\n".join(lines).strip("\n")


def main() -> None:
    """Write one section per command: a heading, then its help in a text block."""
    sections = []
    for path in command_paths(typer.main.get_command(app)):
        title = " ".join(("rrms", *path))
        sections.append(f"## `{title}`\n\n```text\n{help_text(path)}\n```\n")
    print("\n".join(sections), end="")


if __name__ == "__main__":
    main()
