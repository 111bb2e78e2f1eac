"""The admin's forms, as a curator uses them in a browser: menus of choices, addresses."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-browser-password-8"


def _signed_in(page, live_server):
    User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def _office_choices(page) -> list[str]:
    page.locator(".field-stated_office .select2-selection").first.click()
    options = page.locator(".select2-results__option:not(.loading-results)")
    options.first.wait_for()
    return options.all_inner_texts()


def test_the_office_named_by_the_source_menu_offers_the_speakers_offices(live_server, page, sample):
    # It offered every speaker's offices, and saving another's was refused.
    _signed_in(page, live_server)
    quote = sample.can
    page.goto(live_server.url + reverse("admin:archive_quote_change", args=[quote.pk]))
    choices = _office_choices(page)
    assert len(choices) == 2, choices  # Andrew Lansley's two posts
    assert all("Andrew Lansley" in choice for choice in choices)
    # Another speaker chosen on the page: the menu follows.
    page.keyboard.press("Escape")
    page.locator(".field-speaker .select2-selection").first.click()
    page.locator(".select2-dropdown .select2-search__field").fill("Hewitt")
    page.locator(".select2-results__option", has_text="Patricia Hewitt").click()
    # Select2 shows the menu's last results until the new ones come: wait for those.
    page.locator(".field-stated_office .select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_contain_text("Patricia Hewitt")
    choices = page.locator(".select2-results__option").all_inner_texts()
    assert choices and all("Patricia Hewitt" in choice for choice in choices), choices


def test_a_new_records_address_is_filled_in_only_as_the_server_would_make_it(
    live_server, page, sample
):
    # Django's script spelled Greek "Καλημέρα" as "kalhmera" where the server, given the
    # field empty, makes "kalimera"; and it drops letters it does not know ("Ōsaka": "saka").
    from archive.models import Theme

    _signed_in(page, live_server)
    page.goto(live_server.url + reverse("admin:archive_theme_add"))
    page.locator("#id_name").press_sequentially("Zoë’s Brontë review")
    assert page.input_value("#id_slug") == "zoes-bronte-review"
    page.fill("#id_name", "")
    page.locator("#id_name").press_sequentially("Ōsaka")
    assert page.input_value("#id_slug") == ""
    page.fill("#id_name", "")
    page.locator("#id_name").press_sequentially("H₂O policy")  # the server: "h2o-policy"
    assert page.input_value("#id_slug") == ""
    page.fill("#id_name", "")
    page.locator("#id_name").press_sequentially("Καλημέρα υγεία")
    assert page.input_value("#id_slug") == ""
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/archive/theme/")
    assert Theme.objects.get(name="Καλημέρα υγεία").slug == "kalimera-ygeia"
