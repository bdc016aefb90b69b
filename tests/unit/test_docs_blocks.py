"""Every code block of README.md and docs/ is accounted for.

A ```python block is a program that a named test runs against live services and
type-checks: RUN_BY says which test runs which block, so a block nobody runs, or an
entry for a block that moved away, fails here. Shell blocks are checked to name only
real commands: `make` targets the Makefile has, files the repository has, and
`podman-sdk` commands the CLI has (the console sessions' output is the CLI's own text).
"""

from __future__ import annotations

import re
import shlex

import click
import pytest

from tests.harness.docs import REPO, Block, blocks, pages

# (page, index among its python blocks) -> the test module that runs it as a program.
RUN_BY = {
    ("README.md", 0): "tests/live/test_readme_quickstart.py",
    ("api.md", 0): "tests/live/test_readme_api.py",
    ("asyncio.md", 0): "tests/live/test_readme_asyncio.py",
    ("streams.md", 0): "tests/live/test_readme_streams.py",
    ("streams.md", 1): "tests/live/test_readme_streams.py",
    ("streams.md", 2): "tests/live/test_readme_streams.py",
    ("streams.md", 3): "tests/live/test_readme_streams.py",
    ("containers-create.md", 0): "tests/unit/test_create_options.py",
    ("api-notes.md", 0): "tests/live/test_typed_answers.py",
    ("api-notes.md", 1): "tests/live/test_typed_answers.py",
    ("pods.md", 0): "tests/live/test_pods.py",
    ("system.md", 0): "tests/live/test_readme_system.py",
    ("images.md", 0): "tests/live/test_manifests.py",
}
SHELL_LANGUAGES = {"sh", "console"}
# Blocks that are neither programs nor commands: data shown as it is.
DATA_LANGUAGES = {"text", "json", "yaml", "toml", "dockerfile"}


def all_blocks() -> list[Block]:
    return [block for page in pages() for block in blocks(page)]


def make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([\w.-]+):", text, re.MULTILINE))


def commands(block: Block) -> list[list[str]]:
    """The commands of a shell block: every line of an ``sh`` block, the ``$ `` lines of
    a console session; each cut at a pipe, ``&&`` or ``;`` into separate commands."""
    lines = block.code.splitlines()
    if block.language == "console":
        lines = [line[2:] for line in lines if line.startswith("$ ")]
    found = []
    for line in lines:
        for part in re.split(r"\s*(?:&&|\||;)\s*", line.split(" #", 1)[0]):
            words = shlex.split(part, comments=True) if part.strip() else []
            if words:
                found.append(words)
    return found


def test_every_block_has_a_known_language() -> None:
    unknown = [
        (block.page, block.index, block.language)
        for block in all_blocks()
        if block.language not in {"python"} | SHELL_LANGUAGES | DATA_LANGUAGES
    ]
    assert unknown == []


def test_every_python_block_is_run_by_a_test() -> None:
    found = {(block.page, block.index) for block in all_blocks() if block.language == "python"}
    assert sorted(found - set(RUN_BY)) == [], "python blocks no test runs"
    assert sorted(set(RUN_BY) - found) == [], "RUN_BY names blocks that are gone"


@pytest.mark.parametrize("test_module", sorted(set(RUN_BY.values())))
def test_the_running_test_reads_its_page(test_module: str) -> None:
    """Each runner reads the pages RUN_BY gives it (by name), so the table cannot point
    at a test that runs something else."""
    text = (REPO / test_module).read_text(encoding="utf-8")
    for (page, _), module in RUN_BY.items():
        if module == test_module:
            assert page.removesuffix(".md") in text, (page, test_module)


def test_shell_blocks_name_real_commands() -> None:
    from podman_sdk._cli import cli  # noqa: PLC0415 - only this test needs the CLI

    targets = make_targets()
    wrong = []
    for block in all_blocks():
        if block.language not in SHELL_LANGUAGES:
            continue
        for words in commands(block):
            name = words[0]
            if name == "make":
                named = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
                wrong += [(block.page, w) for w in named if w not in targets]
            elif name.startswith((".venv/", "scripts/")):
                if not (REPO / name).exists():
                    wrong.append((block.page, name))
            elif name == "podman-sdk" and not names_a_command(cli, words[1:]):
                wrong.append((block.page, " ".join(words)))
    assert wrong == []


def names_a_command(command: click.Command, words: list[str]) -> bool:
    """Whether ``words`` (options and their values skipped) lead through ``command``'s
    subcommands to a real one."""
    rest = iter(words)
    for word in rest:
        if word.startswith("-"):
            option = next((p for p in command.params if word.split("=")[0] in p.opts), None)
            if isinstance(option, click.Option) and not option.is_flag and "=" not in word:
                next(rest, None)  # the option's value
            continue
        if not isinstance(command, click.Group):
            return True  # an argument of the command reached
        if word not in command.commands:
            return False
        command = command.commands[word]
    return True


def test_commands_splits_sessions_and_chains() -> None:
    block = Block("x.md", 0, "console", "$ make docs && podman-sdk doctor | head\nout\n")
    assert commands(block) == [["make", "docs"], ["podman-sdk", "doctor"], ["head"]]


def test_names_a_command_skips_option_values_and_refuses_unknown_words() -> None:
    from podman_sdk._cli import cli  # noqa: PLC0415 - only this test needs the CLI

    assert names_a_command(cli, ["--url", "unix:///x.sock", "images", "ls"])
    assert not names_a_command(cli, ["--url", "unix:///x.sock", "imagez", "ls"])
    assert not names_a_command(cli, ["images", "lst"])


def test_readme_is_a_front_page() -> None:
    """The README is for users: at most 200 lines, the rest is in docs/."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200
