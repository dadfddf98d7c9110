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


def sections(command: click.Command, path: list[str]) -> list[str]:
    """This command's section, then its subcommands' at every level, in name order."""
    title = " ".join(path)
    found = [f"## {title}\n", f"```text\n{help_text(command, path)}\n```\n"]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found += sections(command.commands[name], [*path, name])
    return found


def reference() -> str:
    """The whole CLI reference as Markdown: every command and subcommand."""
    header = [
        "# Command-line reference\n",
        "Generated from `--help` by `make docs`; a test fails when it drifts from the code.\n",
    ]
    return "\n".join(header + sections(coproduce, ["coproduce"]))


if __name__ == "__main__":
    print(reference(), end="")
