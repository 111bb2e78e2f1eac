"""Read a rendered form the way a browser would submit it, so tests post what a curator posts."""

from __future__ import annotations

from html.parser import HTMLParser


def form_values(page: str) -> dict[str, str | list[str]]:
    """The values a browser would post back from the rendered form (inputs, selects, areas)."""
    values: dict[str, str | list[str]] = {}
    textareas: list[str] = []

    class Form(HTMLParser):
        select = textarea = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "file"):
                if a.get("type") == "checkbox":
                    if "checked" in a:
                        values[name] = a.get("value", "on")
                else:
                    values[name] = a.get("value", "")
            elif tag == "select" and name:
                self.select = name
                if "multiple" in a:
                    values[name] = []
            elif tag == "option" and self.select and "selected" in a:
                if isinstance(values.get(self.select), list):
                    values[self.select].append(a.get("value", ""))
                else:
                    values[self.select] = a.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                textareas.append(name)
                values[name] = ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                values[self.textarea] += data

    Form(convert_charrefs=True).feed(page)
    for name in textareas:
        text = values[name]
        # Django's textarea widget starts with a newline that browsers drop; browsers send
        # every line break of a textarea as CRLF (the HTML standard's form submission).
        text = text[1:] if text.startswith("\n") else text
        values[name] = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return values


def post_form(client, url: str, **changes):
    """Open an admin form, change some fields, and save it as a curator would."""
    fields = form_values(client.get(url).content.decode())
    fields.update(changes)
    fields["_save"] = "Save"
    return client.post(url, fields)


def open_form(client, url: str) -> dict:
    """The values of the admin form at ``url``, as a curator opening it has them."""
    page = client.get(url)
    assert page.status_code == 200
    return form_values(page.content.decode())


def save_form(client, url: str, fields: dict, **changes):
    """Press "Save" on a form opened earlier (``open_form``), with some fields changed."""
    return client.post(url, {**fields, **changes, "_save": "Save"})
