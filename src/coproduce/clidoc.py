"""Write the CLI reference (docs/cli.md) from the commands' own --help text.

A test compares docs/cli.md with this output, so the reference cannot drift from the code.
Run `make docs` to regenerate it.
"""

from __future__ import annotations

import click

from coproduce.cli import main as coproduce


def help_text(command: click.Command, path: list[str]) -> str:
    with click.Context(command, info_name=" ".join(path), terminal_width=100) as ctx:
        return command.get_help(ctx)


def reference() -> str:
    """The whole CLI reference as Markdown."""
    parts = [
        "# Command-line reference\n",
        "Generated from `--help` by `make docs`; a test fails when it drifts from the code.\n",
        "## coproduce\n",
        f"```text\n{help_text(coproduce, ['coproduce'])}\n```\n",
    ]
    assert isinstance(coproduce, click.Group)
    for name in sorted(coproduce.commands):
        command = coproduce.commands[name]
        parts.append(f"## coproduce {name}\n")
        parts.append(f"```text\n{help_text(command, ['coproduce', name])}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference(), end="")
