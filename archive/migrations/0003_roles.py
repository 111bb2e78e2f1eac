"""The two curator roles, as groups with exactly the permissions each needs.

Curators add and change records and save drafts; Editors may also publish, unpublish and
delete. Neither gets any permission on users or groups, so neither can reach user management.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ARCHIVE_MODELS = ["theme", "speaker", "office", "event", "source", "speech", "quote"]

ROLES = {
    "Curators": {"actions": ["view", "add", "change"], "extra": []},
    "Editors": {"actions": ["view", "add", "change", "delete"], "extra": ["publish_speech"]},
}


def ensure_permissions(apps):
    """Create the permission rows now: Django only adds them after *all* migrations ran."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in ROLES.items():
        codenames = [f"{action}_{model}" for model in ARCHIVE_MODELS for action in spec["actions"]]
        codenames += spec["extra"]
        permissions = list(
            Permission.objects.filter(content_type__app_label="archive", codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for role {name}: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
