"""What a serving process does once, after loading the application."""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def settle_heap() -> None:
    """Load what the first requests would load, then put every object alive out of the
    garbage collector's sight.

    Modules, models, URL patterns and templates live as long as the process, yet Python's
    full collections walk all of them again: at a million quotations, a 70–125 ms pause
    about once in twenty requests to a page that reads a large stored summary (a theme's
    timeline), which is that page's 95th percentile (20 ms once frozen). ``gc.freeze()``
    moves them to a permanent generation; later garbage is collected as before. Under a
    forking server it also keeps the shared pages shared (the collector no longer writes
    to them).

    The views' modules (imported with the URLconf) and the compiled templates used to
    arrive with the first requests, after the freeze: about 40,000 objects that every full
    collection then walked, 10–15 ms each time (one request in two hundred or so), where
    it is 2–4 ms once they are frozen too. ``load_what_requests_load`` loads them first.
    """
    load_what_requests_load()
    gc.collect()
    gc.freeze()


def load_what_requests_load() -> None:
    """Import the URLconf (and with it every view), index it for ``reverse()``, and
    compile every template of the project's own directories into the template cache."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 -- imports the URLconf
    resolver.reverse_dict  # noqa: B018 -- builds the index reverse() reads
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            try:
                get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError) as error:
                # The page that uses it fails as it would have; the process still serves.
                logger.warning("Template %s was not loaded at startup: %s", name, error)
