"""The lists' filter form, written out in Python.

It works without JavaScript: a GET form whose menus carry counts on the filtered set. As a
template (an include and a loop over the fields, each with several conditions) it took
about 0.4 ms of every list page built afresh; its menus' options were already written in
Python (``FormField.options_html``) for the same reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe

from archive.search.query import MAX_QUERY_CHARS

PENDING_NOTE = (
    "Some of these menus are still being counted for this list: reload the page in a "
    "moment to choose from all their options."
)


def filter_form_html(
    path: str, fields: Sequence, *, counts_pending: bool = False, is_filtered: bool = False
) -> SafeString:
    """The form for ``fields`` (``archive.views.listing.FormField``), submitted to ``path``.

    Every value a reader or curator supplied is escaped here: the typed words and dates,
    error messages that quote them, labels and the menus' options.
    """
    errors = [(field, error) for field in fields for error in field.errors]
    parts = [
        f'<form class="filter-form" method="get" action="{escape(path)}" '
        'aria-labelledby="filters-heading">',
        '  <h2 id="filters-heading" class="filter-form__heading">Filter</h2>',
    ]
    if errors:
        items = "".join(
            f'<li><a href="#{escape(field.id)}">{escape(field.label)}: {escape(error)}</a></li>'
            for field, error in errors
        )
        parts += [
            '  <div class="error-summary" role="alert" aria-labelledby="error-summary-title">',
            '    <h3 id="error-summary-title">Some filters could not be used</h3>',
            f"    <ul>{items}</ul>",
            "  </div>",
        ]
    if counts_pending:
        parts.append(f'  <p class="filter-form__note">{PENDING_NOTE}</p>')
    parts += [_field_html(field) for field in fields]
    clear = f' <a href="{escape(path)}">Clear all</a>' if is_filtered or errors else ""
    parts.append(
        f'  <div class="filter-form__actions"><button type="submit">Apply filters</button>'
        f"{clear}</div>"
    )
    parts.append("</form>")
    return mark_safe("\n".join(parts))  # noqa: S308 -- every value escaped above


def escape(value: object) -> str:
    """``value`` as HTML text (labels and messages may be lazy translations)."""
    return _escape(str(value))


def _field_html(field) -> str:
    id_ = escape(field.id)
    invalid = ' aria-invalid="true"' if field.errors else ""
    described = f' aria-describedby="{escape(field.described_by)}"' if field.described_by else ""
    lines = [
        f'  <div class="field{" field--error" if field.errors else ""}">',
        f'    <label for="{id_}">{escape(field.label)}</label>',
    ]
    if field.hint:
        lines.append(f'    <span class="field__hint" id="{id_}-hint">{escape(field.hint)}</span>')
    for n, error in enumerate(field.errors, start=1):
        lines.append(
            f'    <span class="field__error" id="{id_}-error-{n}">'
            f'<span class="visually-hidden">Error: </span>{escape(error)}</span>'
        )
    name = escape(field.name)
    if field.kind == "select":
        any_option = (
            f'<option value="">{escape(field.any_label)}</option>\n      '
            if field.any_label
            else ""
        )
        lines.append(
            f'    <select id="{id_}" name="{name}"{invalid}{described}>\n'
            f"      {any_option}{field.options_html}\n    </select>"
        )
    else:
        kind = "search" if field.kind == "text" else "text"
        # Words: as many characters as a list reads (it refuses more, saying so).
        size = (
            ' size="10" autocomplete="off"'
            if field.kind == "date"
            else f' maxlength="{MAX_QUERY_CHARS}"'
        )
        lines.append(
            f'    <input id="{id_}" name="{name}" type="{kind}" value="{escape(field.value)}"'
            f"{size}{invalid}{described}>"
        )
    lines.append("  </div>")
    return "\n".join(lines)
