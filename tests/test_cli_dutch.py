"""The command speaks Dutch: every help page, click's own texts, usage errors, check's messages.

Fails when English comes back: a help page with click's English ("Show this message", "Usage:"),
an option's help or a usage error in English, a click text that the catalogue
(``werkbladen/cli/locale/nl``) does not translate, or a ``.mo`` that is not its ``.po`` compiled.
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from werkbladen.cli import main
from werkbladen.cli.dutch import DOMAIN, LOCALE_DIR, dutch
from werkbladen.content.messages import pydantic_message
from werkbladen.content.model import FieldDef, TextBlock, Werkblad

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["", *sorted(main.commands)]  # type: ignore[attr-defined]

ENGLISH = re.compile(
    r"\b(the|and|with|from|show|this|message|exit|usage|options|commands|default|required|"
    r"file|folder|folders|output|inputs|write|read|error|try|missing|invalid|argument|no such)\b",
    re.IGNORECASE,
)
"""Words of click's English and of the old help; none is Dutch."""

_CODES = re.compile(
    r"(?<![\w-])-{1,2}[a-z][\w-]*|`[^`]*`|\[[a-z|0-9-]+\]|\[standaard: [^]]*\]"
    r"|\b[\w.-]+\.(json|pdf|xlsx|yaml)\b"
)
"""What a help page shows as code and may be English: option names, `commands`, [choices], defaults, files."""


def _english(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(_CODES.sub(" ", text))})


def _run(*args: str, **kwargs: Any) -> Any:
    return CliRunner().invoke(main, list(args), **kwargs)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_page_is_dutch(command: str) -> None:
    result = _run(*([command] if command else []), "--help")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Show this message" not in text and "Usage:" not in text
    assert text.startswith(f"Gebruik: werkbladen {command} ".replace("  ", " "))
    assert "Opties:" in text and "Toon deze uitleg en stop." in text
    assert _english(text) == [], text


def test_the_group_lists_its_commands_in_dutch() -> None:
    text = _run("--help").stdout
    assert "Opdrachten:" in text and "[OPTIES] OPDRACHT [ARGUMENTEN]..." in text
    assert "versie" in _run("--version").stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["extract"], "werkbladen: fout: geen invoer: noem bestanden of mappen, of geef --files-from LIJST"),
        (["extract", "--bogus"], "Fout: De optie '--bogus' bestaat niet."),
        (["extract", "-f", "docx", "x.pdf"], "'docx' kan niet; kies uit 'json', 'jsonl', 'csv', 'xlsx'."),
        (["extract", "--jobs", "0", "x.pdf"], "Ongeldige waarde voor '--jobs': 0 valt buiten x>=1."),
        (["fill"], "Fout: Ontbrekend argument 'BLANCO'."),
        (["report", "x.pdf"], "Fout: Ontbrekende optie '-o' / '--output'."),
        (["build", "/geen/map/hier"], "'/geen/map/hier' bestaat niet."),
        (["check", "--retire", "x"], "Fout: --retire hoort bij --publish"),
        (["geen-opdracht"], "Fout: De opdracht 'geen-opdracht' bestaat niet."),
    ],
)
def test_usage_errors_are_dutch(args: list[str], expected: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr, result.stderr
    assert "Error" not in result.stderr and "Try '" not in result.stderr
    if not result.stderr.startswith("werkbladen: fout: "):  # click's own: usage line and hint, in Dutch
        assert result.stderr.startswith("Gebruik: werkbladen ") and "Uitleg: 'werkbladen " in result.stderr


def test_the_per_file_line_names_the_status_in_dutch(tmp_path: Path) -> None:
    not_pdf = tmp_path / "brief.pdf"
    not_pdf.write_text("geen pdf", encoding="utf-8")
    result = _run("extract", str(not_pdf))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"werkbladen: {not_pdf}: geen werkblad: ")
    assert "not_a_werkblad" not in result.stderr
    assert '"status": "not_a_werkblad"' in result.stdout  # the code a program reads stays


def test_the_python_m_command_is_dutch_and_named_werkbladen() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "en_US.UTF-8", "LANGUAGE": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "werkbladen", "extract", "--bogus"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Gebruik: werkbladen extract [OPTIES] [INVOER]...")
    assert "Fout: De optie '--bogus' bestaat niet." in done.stderr


def test_gettext_is_as_it_was_after_a_command() -> None:
    """Importing and running the CLI leaves the process's gettext alone (the catalogue is only on
    while a command runs)."""
    before = (gettext.textdomain(), os.environ.get("LANGUAGE"))
    _run("--help")
    assert (gettext.textdomain(), os.environ.get("LANGUAGE")) == before
    assert gettext.gettext("Usage:") == "Usage:"
    with dutch():
        assert gettext.gettext("Usage:") == "Gebruik:"
        with dutch():
            pass
        assert gettext.gettext("Options") == "Opties"
    assert gettext.gettext("Usage:") == "Usage:"


# --- the catalogue -----------------------------------------------------------------------------

NOT_FOR_USERS = {
    # a programming error in the command's definition, never a user's: stays as click says it
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Name '{name}' defined twice",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Choice({choices})",
}


def _click_texts() -> set[str]:
    """Every constant text click's source passes to ``_()`` or ``ngettext()`` (a plural as its singular)."""
    texts = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and len(node.args[0].value) > 2
            ):
                texts.add(node.args[0].value)
    return texts


def test_the_catalogue_translates_every_text_click_shows() -> None:
    translations = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=["nl"])
    untranslated = sorted(
        text
        for text in _click_texts() - NOT_FOR_USERS
        if translations.gettext(text) == text and translations.ngettext(text, text, 1) == text
    )
    assert untranslated == [], "add these to werkbladen/cli/locale/nl/LC_MESSAGES/werkbladen.po"


def test_the_compiled_catalogue_is_its_po() -> None:
    spec = importlib.util.spec_from_file_location(
        "compile_messages", ROOT / "scripts" / "compile_messages.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "run python scripts/compile_messages.py"
    po = LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalogue = module.parse_po(po.read_text(encoding="utf-8"))
    for msgid, msgstr in catalogue.items():
        if msgid:  # the same placeholders, or fewer (an English word of click's left out)
            fields = set(re.findall(r"\{(\w+)", msgstr))
            assert fields <= set(re.findall(r"\{(\w+)", msgid)), msgid


# --- check's messages ----------------------------------------------------------------------------


def _errors(model: type[Any], data: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [pydantic_message(e) for e in caught.value.errors()]


def test_pydantic_errors_become_dutch_sentences_naming_the_key() -> None:
    assert _errors(FieldDef, {}) == ["'id' ontbreekt; deze sleutel is verplicht"]
    assert _errors(FieldDef, {"id": "a", "colour": "rood"})[0].startswith("'colour' is geen sleutel")
    assert _errors(FieldDef, {"id": "a", "lines": "veel"}) == [
        "'lines' moet een geheel getal zijn, niet 'veel'"
    ]
    assert _errors(FieldDef, {"id": "a", "lines": 0}) == ["'lines' moet 1 of meer zijn"]
    assert _errors(TextBlock, {"type": "text", "text": "x", "style": "groot"}) == [
        "'style' moet een van deze zijn: 'body', 'lead', 'subheading' of 'note'"
    ]
    assert _errors(TextBlock, {"type": "text", "text": ""}) == ["'text' mag niet leeg zijn"]
    sections = [{"blocks": [{"type": "plaatje"}]}]
    assert _errors(Werkblad, {"id": "w", "title": "W", "sections": sections})[0].startswith(
        "onbekend soort blok 'plaatje'; type moet een van deze zijn: "
    )
    for message in _errors(Werkblad, {"id": "W.1", "title": 3, "sections": []}):
        assert _english(message) == [], message
