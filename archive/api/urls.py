"""``/api/``: the endpoints, the OpenAPI schema and its documentation."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from archive.api import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.register("speeches", views.SpeechViewSet, basename="speech")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("offices", views.OfficeViewSet, basename="office")
router.register("events", views.EventViewSet, basename="event")
router.register("themes", views.ThemeViewSet, basename="theme")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: the page's script is a separate file, so no inline script is needed (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", title="Health Policy Archive API"
        ),
        name="docs",
    ),
    *router.urls,
    re_path(r"", views.not_found),
]
