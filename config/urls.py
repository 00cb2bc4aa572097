from django.conf import settings
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from xieshang.core.views import workbench_view

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("account/", include("xieshang.core.account_urls")),
    path("api/v1/", include("xieshang.api.urls")),
    path("c/<slug:committee>/org/", include("xieshang.org.urls")),
    path("c/<slug:committee>/proposals/stats/", include("xieshang.proposals.stats_urls")),
    path("c/<slug:committee>/proposals/files/", include("xieshang.proposals.doc_urls")),
    path("c/<slug:committee>/proposals/", include("xieshang.proposals.urls")),
    path("c/<slug:committee>/opinions/stats/", include("xieshang.opinions.stats_urls")),
    path("c/<slug:committee>/opinions/files/", include("xieshang.opinions.doc_urls")),
    path("c/<slug:committee>/opinions/", include("xieshang.opinions.urls")),
    path("portal/", include("xieshang.portal.urls")),
    path("search/", include("xieshang.search.urls")),
    path("c/<slug:committee>/library/", include("xieshang.library.urls")),
    path("c/<slug:committee>/topics/", include("xieshang.topics.urls")),
    path("committees/", include("xieshang.org.committee_urls")),
    path("", workbench_view, name="workbench"),
    path("", include("xieshang.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
