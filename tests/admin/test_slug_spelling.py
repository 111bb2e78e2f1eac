"""The admin's script fills in a new record's address only from letters it spells as the
server does (static/js/admin-slugs.js); otherwise the server makes it on saving."""

import re
import unicodedata
from pathlib import Path

import django
from django.conf import settings
from django.utils.text import slugify

from archive.words import in_ascii

URLIFY = Path(django.__file__).parent / "contrib/admin/static/admin/js/urlify.js"
OURS = Path(settings.BASE_DIR) / "static/js/admin-slugs.js"


def _alike() -> str:
    return re.search(r"const ALIKE = new Set\('([^']*)'\)", OURS.read_text()).group(1)


def test_every_letter_the_script_spells_is_spelled_so_by_the_server():
    # Django's table, as its script builds it (a later table's letter wins).
    table = dict(re.findall(r"'(.)'\s*:\s*'([^']*)'", URLIFY.read_text()))
    alike = _alike()
    assert "é" in alike and "ł" in alike and "η" not in alike and "Ō" not in alike
    for letter in alike:
        assert unicodedata.category(letter).startswith("L"), letter
        assert letter in table, f"{letter} is not in Django's table: its script drops it"
        assert slugify(table[letter]) == slugify(in_ascii(letter)), letter
