"""The search API: full-text search, similar items, department suggestions and their accuracy, the dictionary.

Each endpoint answers as the matching page does (the shared helpers live in :mod:`xieshang.search.views`):
a committee or proposal the caller may not see is a 404, a visible one the caller may not act on a 403, bad
input a 422; writes go through :mod:`xieshang.search.actions`.
"""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from xieshang.api import schemas as s
from xieshang.api.access import committee_for, require, rows_in_order
from xieshang.org.models import Committee, Department

from . import actions, query, views
from .forms import SearchForm
from .models import DictionaryTerm

router = Router(tags=["search"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
SimilarKind = Literal["proposal", "opinion"]


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





# Similar items ------------------------------------------------------------------------------------------

class SimilarIn(s.Input):
    title: str = Field(max_length=200, description="标题")
    body: str = Field("", max_length=80000, description="正文（情况、分析、建议等）")
    kinds: list[SimilarKind] = Field(["proposal", "opinion"], description="比对的类型：proposal、opinion")
    exclude_kind: SimilarKind | None = Field(None, description="不比对的对象（通常是本件）的类型，默认 proposal")
    exclude_id: int | None = Field(None, description="不比对的对象编号")
    limit: int = Field(10, ge=1, le=20)


class SimilarMatchOut(Schema):
    kind: str
    kind_label: str
    object_id: int
    title: str
    committee: str
    year: int | None
    url: str
    percent: int = Field(description="相似度（百分比）")
    score: float = Field(description="相似度（0–1）")
    title_score: float
    body_score: float
    shared_terms: list[str] = Field(description="共同关键词，最有区分度的在前")


class SimilarOut(Schema):
    threshold: int = Field(description="本政协组织的提示阈值（百分比）；低于它的不返回")
    items: list[SimilarMatchOut]


def _similar_committee(request, code):
    """The committee as the similar-items panel allows it (members, staff, informants); 404 otherwise."""
    committee = Committee.objects.filter(code=code).first()
    if committee is None or not views.may_check_similar(request.auth, committee):
        raise Http404
    return committee


@router.post("/committees/{code}/similar", response={200: SimilarOut, **ERRORS}, summary="相似提案和社情民意")
def similar_items(request, code: str, payload: SimilarIn):
    """The proposals and 社情民意 copies similar to a text, at or above the committee's threshold, as the
    similar-items panel shows them; only what the caller may see."""
    committee = _similar_committee(request, code)
    errors = {}
    if not (payload.title.strip() or payload.body.strip()):
        errors["title"] = [_("请填写标题或正文。")]
    if not payload.kinds:
        errors["kinds"] = [_("请至少选择一种类型。")]
    if payload.exclude_kind is not None and payload.exclude_id is None:
        errors["exclude_id"] = [_("给出 exclude_kind 时须同时给出 exclude_id。")]
    if errors:
        raise ValidationError(errors)
    exclude = (payload.exclude_kind or "proposal", payload.exclude_id) if payload.exclude_id is not None else None
    matches = views.similar_matches(request.auth, committee, payload.title, payload.body, exclude=exclude,
                                    kinds=tuple(dict.fromkeys(payload.kinds)), limit=payload.limit)
    return {"threshold": round(views.similar_threshold(committee) * 100), "items": [
        {"kind": row["match"].entry.kind, "kind_label": str(row["kind_label"]),
         "object_id": row["match"].entry.object_id, "title": row["match"].entry.title,
         "committee": row["match"].entry.committee.code, "year": row["match"].entry.year, "url": row["url"],
         "percent": row["match"].percent, "score": round(row["match"].score, 4),
         "title_score": round(row["match"].title_score, 4), "body_score": round(row["match"].body_score, 4),
         "shared_terms": list(row["match"].shared_terms)} for row in views.match_rows(matches)]}


# Department suggestions ---------------------------------------------------------------------------------

class DepartmentOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


def _department(d):
    return {"id": d.pk, "name": d.name, "kind": d.kind, "kind_label": str(d.get_kind_display())}


class ReasonOut(Schema):
    proposal_id: int
    case_number: int | None = Field(description="案号（立案后才有）")
    title: str
    year: int | None
    percent: int = Field(description="与本提案的相似度（百分比）")
    url: str


class DepartmentSuggestionOut(Schema):
    department: DepartmentOut
    score: float
    reasons: list[ReasonOut] = Field(description="投票给该单位的相似往年提案（最多 3 件）")


def _visible_proposal(request, code, pk):
    committee = committee_for(request, code)
    return committee, views.visible_proposal(request.auth, committee, pk)


@router.get("/committees/{code}/proposals/{int:proposal_id}/department-suggestions",
            response={200: list[DepartmentSuggestionOut], **ERRORS}, summary="承办单位建议")
def department_suggestions(request, code: str, proposal_id: int):
    """Departments for the proposal from the departments of its similar filed neighbours, best first (as the
    proposal page's panel shows them to the proposal office). Post the choice to ``…/decision``."""
    from xieshang.proposals.models import Proposal

    committee, proposal = _visible_proposal(request, code, proposal_id)
    require(request, "search.decide_suggestion", committee)
    suggestions = views.department_suggestions(request.auth, committee, proposal)
    neighbours = {m.entry.object_id for sug in suggestions for m in sug.reasons}
    case_numbers = dict(Proposal.objects.filter(pk__in=neighbours).values_list("pk", "case_number"))
    rows = views.match_rows([m for sug in suggestions for m in sug.reasons])
    urls = {row["match"].entry.object_id: row["url"] for row in rows}
    return [{"department": _department(sug.department), "score": round(sug.score, 4), "reasons": [
        {"proposal_id": m.entry.object_id, "case_number": case_numbers.get(m.entry.object_id),
         "title": m.entry.title, "year": m.entry.year, "percent": m.percent, "url": urls.get(m.entry.object_id, "")}
        for m in sug.reasons]} for sug in suggestions]


class DecisionIn(s.Input):
    suggested: list[int] = Field(default_factory=list, max_length=10,
                                 description="建议的承办单位 id，按显示顺序（最优在前）；没有建议时为空")
    chosen: list[int] = Field(max_length=20, description="选定的承办单位 id")


class DecisionOut(Schema):
    id: int
    proposal_id: int
    decision: str = Field(description="accepted（选定单位都在建议中）或 overridden")
    suggested: list[int] = Field(description="建议的承办单位 id，按显示顺序")
    chosen: list[int]
    decided_at: datetime.datetime


@router.post("/committees/{code}/proposals/{int:proposal_id}/department-suggestions/decision",
             response={201: DecisionOut, **ERRORS}, summary="记录承办单位选择")
def record_decision(request, code: str, proposal_id: int, payload: DecisionIn):
    """Record the departments chosen against the suggestion shown: accepted when every chosen department was
    suggested, overridden otherwise. Unknown or other committees' ids are a 422 and nothing is recorded."""
    committee, proposal = _visible_proposal(request, code, proposal_id)
    require(request, "search.decide_suggestion", committee)
    departments = Department.objects.filter(committee=committee)
    errors = {}
    suggested = chosen = []
    try:
        suggested = rows_in_order(departments, payload.suggested, "suggested", drop_repeats=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not payload.chosen:
        errors["chosen"] = [_("请至少选择一个承办单位。")]
    else:
        try:
            chosen = rows_in_order(departments.filter(is_active=True), payload.chosen, "chosen", drop_repeats=True)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    record = actions.do_record_suggestion(committee, proposal.pk, suggested=suggested, chosen=chosen,
                                          actor=request.auth)
    return 201, {"id": record.pk, "proposal_id": record.object_id, "decision": record.decision,
                 "suggested": record.suggested_order, "chosen": [d.pk for d in chosen],
                 "decided_at": record.decided_at}


# Accuracy of department suggestions ---------------------------------------------------------------------

class RatioOut(Schema):
    count: int
    of: int
    percent: float | None = Field(description="百分比（一位小数）；分母为 0 时为 null")


class FiguresOut(Schema):
    year: int | None = Field(description="年度（按记录时间）；合计时为 null")
    decisions: int = Field(description="记录的选择数")
    accepted: RatioOut = Field(description="选定单位都在建议中，占全部记录")
    overridden: RatioOut = Field(description="改选，占全部记录（没有建议的也计为改选）")
    top1: RatioOut = Field(description="首选建议单位在选定单位中，占有建议且保存了顺序的记录")
    top3: RatioOut = Field(description="至少一个选定单位在前三个建议中，占有建议的记录")
    no_suggestion: RatioOut = Field(description="没有建议时记录的选择，占全部记录")
    order_unknown: int = Field(description="有建议但未保存顺序的较早记录数（不计入首选命中率）")


class OverriddenOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str | None = Field(description="调用者看不到该提案时为 null")
    proposal_case_number: int | None
    suggested: list[DepartmentOut] = Field(description="按显示顺序（较早的记录按名称）")
    chosen: list[DepartmentOut]
    decided_by: str | None = Field(description="用户名")
    decided_at: datetime.datetime


class AccuracyOut(Schema):
    year: int | None
    figures: FiguresOut = Field(description="所选年度（未给出年度时为合计）的数字")
    overall: FiguresOut
    years: list[FiguresOut] = Field(description="各年度，最近的在前")
    latest_overridden: list[OverriddenOut] = Field(description="所选范围内最近的改选（最多 20 条）")


def _figures(f):
    def ratio(r):
        return {"count": r.count, "of": r.of, "percent": r.percent}

    return {"year": f.year, "decisions": f.decisions, "accepted": ratio(f.accepted),
            "overridden": ratio(f.overridden), "top1": ratio(f.top1), "top3": ratio(f.top3),
            "no_suggestion": ratio(f.no_suggestion), "order_unknown": f.order_unknown}


@router.get("/committees/{code}/department-suggestions/accuracy", response={200: AccuracyOut, **ERRORS},
            summary="承办单位建议准确率")
def suggestion_accuracy(request, code: str, year: int | None = None):
    """How often the department suggestions were right, per year of decision and overall (the page
    /search/c/{code}/suggestions/accuracy/)."""
    committee = committee_for(request, code, "search.decide_suggestion")
    if year is not None and not 1949 <= year <= 2999:
        raise ValidationError({"year": [_("年度须在 1949–2999 之间。")]})
    report = views.accuracy_report(request.auth, committee, year)
    return {"year": year, "figures": _figures(report["figures"]), "overall": _figures(report["overall"]),
            "years": [_figures(f) for f in report["years"].values()], "latest_overridden": [
        {"id": row["record"].pk, "proposal_id": row["record"].object_id,
         "proposal_title": row["proposal"].title if row["proposal"] else None,
         "proposal_case_number": row["proposal"].case_number if row["proposal"] else None,
         "suggested": [_department(d) for d in row["suggested"]], "chosen": [_department(d) for d in row["chosen"]],
         "decided_by": row["record"].decided_by.username if row["record"].decided_by else None,
         "decided_at": row["record"].decided_at} for row in report["overridden"]]}


# Segmentation dictionary --------------------------------------------------------------------------------

class TermOut(Schema):
    id: int
    word: str
    source: str = Field(description="manual（手工添加）或 org（组织数据）")
    created_at: datetime.datetime


class TermIn(s.Input):
    word: str = Field(max_length=40, description="2–20 个汉字、字母或数字，繁体会转为简体")


class SyncOut(Schema):
    added: int = Field(description="新加入词典的词语数")


@router.get("/committees/{code}/dictionary", response={200: list[TermOut], **ERRORS}, summary="分词词典")
def list_terms(request, code: str):
    committee = committee_for(request, code, "search.manage_dictionary")
    return list(DictionaryTerm.objects.filter(committee=committee).order_by("source", "word"))


@router.post("/committees/{code}/dictionary", response={201: TermOut, **ERRORS}, summary="添加词语")
def add_term(request, code: str, payload: TermIn):
    committee = committee_for(request, code, "search.manage_dictionary")
    return 201, actions.do_add_dictionary_term(committee, payload.word, actor=request.auth)


@router.delete("/committees/{code}/dictionary/{int:term_id}", response={204: None, **ERRORS}, summary="删除词语")
def remove_term(request, code: str, term_id: int):
    committee = committee_for(request, code, "search.manage_dictionary")
    term = DictionaryTerm.objects.filter(committee=committee, pk=term_id).first()
    if term is None:
        raise Http404
    actions.do_remove_dictionary_term(term, actor=request.auth)
    return 204, None


@router.post("/committees/{code}/dictionary/sync", response={200: SyncOut, **ERRORS},
             summary="从组织数据导入词语")
def sync_terms(request, code: str):
    committee = committee_for(request, code, "search.manage_dictionary")
    return {"added": actions.do_sync_dictionary(committee, actor=request.auth)}
