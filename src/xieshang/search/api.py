"""GET /api/v1/search: the same search as the page, filtered by the same permissions."""

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema
from pydantic import Field

from . import query
from .forms import SearchForm

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", max_length=200, description="关键词（简体或繁体）")
    kind: str = Field("", description="类型：proposal、reply、opinion、document、member")
    committee: str = Field("", description="政协组织代码")
    year: int | None = None
    session: int | None = None
    status: str = ""
    category: str = ""
    department: int | None = None
    sector: int | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


class SearchHit(Schema):
    kind: str
    object_id: int
    committee: str
    title: str
    title_html: str
    snippet_html: str
    url: str
    year: int | None
    status: str


class SearchPage(Schema):
    count: int = Field(description="匹配条数；count_is_lower_bound 为 true 时为下限")
    count_is_lower_bound: bool = Field(description="匹配过多时只排序最新的一部分，count 为下限")
    limit: int
    offset: int
    items: list[SearchHit]


@router.get("/search", response=SearchPage, summary="全文检索")
def search(request, params: Query[SearchParams]):
    data = {k: ("" if v is None else str(v)) for k, v in params.dict().items() if k not in ("limit", "offset")}
    form = SearchForm(data, user=request.auth)
    if not form.is_valid():
        raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    entries = query.search(request.auth, form.cleaned_data.get("q"), form.filters())
    total = entries.count()
    page = list(entries[params.offset : params.offset + params.limit])
    rows = query.result_rows(page, params.q)
    return {"count": total, "count_is_lower_bound": bool(getattr(entries, "is_capped", False)),
            "limit": params.limit, "offset": params.offset, "items": [
        {"kind": r["kind"], "object_id": r["entry"].object_id, "committee": r["entry"].committee.code,
         "title": r["entry"].title, "title_html": str(r["title_html"]), "snippet_html": str(r["snippet_html"]),
         "url": r["url"], "year": r["entry"].year, "status": r["entry"].status} for r in rows]}



