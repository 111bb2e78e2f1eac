"""Long texts saved with a browser's line breaks ("\r\n") get the archive's own ("\n").

Until the admin's forms stored "\n" (``archive.admin.base.TextareaText``), saving a record in
the admin stored its long texts as the browser sent them. The seed never had any; an archive
edited before has. Each such record is saved once more with plain line breaks, a version in
its history saying why (as a curator's correction would), and its ``version`` moved on where
it has one, so that a form opened before is refused as a conflict rather than putting the
old line breaks back. Nothing but line breaks changes; going back leaves them plain.
"""

from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone

# The records with long texts a curator edits in a textarea, and those texts.
TEXTS = {
    "Theme": ["description"],
    "Speaker": ["bio"],
    "Event": ["description"],
    "Source": ["original_text"],
    "Speech": ["summary", "text"],
    "Quote": ["text"],
    "Pledge": ["promise", "outcome_note"],
}
REASON = "Line breaks stored as the archive stores them (no text changed)."


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def make_plain(apps, schema_editor):
    alias = schema_editor.connection.alias
    now = timezone.now()
    for name, fields in TEXTS.items():
        model = apps.get_model("archive", name)
        history = apps.get_model("archive", f"Historical{name}")
        versioned = any(field.name == "version" for field in model._meta.concrete_fields)
        with_returns = Q()
        for field in fields:
            with_returns |= Q(**{f"{field}__contains": "\r"})
        for record in model.objects.using(alias).filter(with_returns).iterator():
            changed = {field: _plain(getattr(record, field) or "") for field in fields}
            if versioned:
                changed["version"] = F("version") + 1
            model.objects.using(alias).filter(pk=record.pk).update(**changed)
            record.refresh_from_db()
            history.objects.using(alias).create(
                **{
                    field.attname: getattr(record, field.attname)
                    for field in model._meta.concrete_fields
                },
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )


class Migration(migrations.Migration):
    dependencies = [("archive", "0029_forget_timelines_of_format_4")]

    operations = [migrations.RunPython(make_plain, migrations.RunPython.noop)]
