"""The REST API at /api/v1/: one NinjaAPI, its authentication, error shapes and routers.

Every endpoint acts as the authenticated user, checks the same ``rules`` permissions as the pages, and writes
only through the apps' actions (so the audit trail records ``via="api"``).
"""

from csp.decorators import csp_update
from ninja import NinjaAPI, Swagger

from . import errors
from .auth import session_auth, token_auth
from .routers import audit, calendar, committees, departments, imports, me, members, opinions, proposals, roles
from .routers import library as library_router
from .routers import topics as topic_router


def _docs_decorator(view):
    # Swagger UI sets inline style attributes on its widgets; scripts stay 'self' only.
    return csp_update({"style-src": ["'unsafe-inline'"]})(view)


api = NinjaAPI(
    title="协商 Xieshang API",
    version="1",
    description=(
        "政协履职平台的接口。认证方式：在“个人设置 → API 令牌”中创建令牌，以 `Authorization: Bearer <令牌>` 发送；"
        "或在已登录的浏览器中使用会话（写操作需要 CSRF 令牌）。"
    ),
    urls_namespace="api",
    auth=[token_auth, session_auth],
    parser=errors.JsonParser(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_decorator=_docs_decorator,
)
errors.install(api)

api.add_router("", committees.router)
api.add_router("", members.router)
api.add_router("", departments.router)
api.add_router("", roles.router)
api.add_router("", audit.router)
api.add_router("", calendar.router)
api.add_router("", imports.router)
api.add_router("", me.router)
api.add_router("", proposals.router)
api.add_router("", opinions.router)
api.add_router("", topic_router.router)
api.add_router("", library_router.router)

from xieshang.search.api import router as search_router  # noqa: E402  (search sits above the routers' apps)

api.add_router("", search_router)
