"""URLs. The public paths are decided in DESIGN.md; bookmarks depend on them.

The pages a filter form sends to take their filters without empty fields
(``without_empty_fields``).
"""

from django.contrib import admin
from django.urls import include, path

from archive import citations, exports, feeds, sitemaps, views
from archive.health import healthz
from archive.views.compare import compare_page
from archive.views.empty_fields import without_empty_fields
from archive.views.pledges import pledge_list

app_name = "archive"

public = [
    path("", views.home, name="home"),
    path("speeches/", without_empty_fields(views.speech_list), name="speech-list"),
    path("speeches/<slug:slug>/", views.speech_detail, name="speech-detail"),
    path("quotes/", without_empty_fields(views.quote_list), name="quote-list"),
    path("quotes/<slug:slug>/", views.quote_detail, name="quote-detail"),
    path("speakers/", views.speaker_list, name="speaker-list"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker-detail"),
    path("offices/", views.office_list, name="office-list"),
    path("offices/<slug:slug>/", without_empty_fields(views.office_detail), name="office-detail"),
    path("events/", without_empty_fields(views.event_list), name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/<slug:slug>/", without_empty_fields(views.theme_detail), name="theme-detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("search/", without_empty_fields(views.search_page), name="search"),
]

# Open data (issue 6): CSV downloads of the lists, Atom feeds, citations. The JSON API is
# mounted below, under /api/.
public += [
    path("quotes/export.csv", exports.quote_export, name="quote-export"),
    path("speeches/export.csv", exports.speech_export, name="speech-export"),
    *(
        path(f"{prefix}/<slug:slug>/cite.{fmt}", view, {"fmt": fmt}, name=f"{name}-cite-{fmt}")
        for prefix, name, view in (
            ("quotes", "quote", citations.quote_citation),
            ("speeches", "speech", citations.speech_citation),
        )
        for fmt in citations.FORMATS
    ),
    path("feeds/quotes/", feeds.QuoteFeed(), name="feed-quotes"),
    path("feeds/speeches/", feeds.SpeechFeed(), name="feed-speeches"),
    path("feeds/new/", feeds.PublishedFeed(), name="feed-new"),
    path("feeds/speakers/<slug:slug>/", feeds.SpeakerFeed(), name="feed-speaker"),
    path("feeds/themes/<slug:slug>/", feeds.ThemeFeed(), name="feed-theme"),
    path("feeds/search/", feeds.SearchFeed(), name="feed-search"),
]

# Insight (issue 9): commitments and what became of them, comparisons between speakers.
public += [
    path("pledges/", without_empty_fields(pledge_list), name="pledge-list"),
    path("compare/", without_empty_fields(compare_page), name="compare"),
]

# For search engines: every record's page, and what not to crawl.
public += [
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>-<int:page>.xml",
        sitemaps.sitemap_section,
        name="sitemap-section",
    ),
]

# Error pages in the site's design (used when DEBUG is off).
handler400 = "archive.views.bad_request"
handler404 = "archive.views.not_found"
handler500 = "archive.views.server_error"

urlpatterns = [
    path("", include((public, "archive"))),
    path("admin/", admin.site.urls),
    # Open data (issue 6): the read-only JSON API, its schema and documentation.
    path("api/", include("archive.api.urls")),
    # Outside `public`: not a reader's page, never cached, polled by load balancers.
    path("healthz", healthz, name="healthz"),
]
