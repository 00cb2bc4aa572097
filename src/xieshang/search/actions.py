"""Search writes: the committee's segmentation dictionary and decisions on department suggestions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.audit import action

from . import dictionary, normalize
from .models import DictionaryTerm


def _require(actor, perm, obj):
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("无权执行此操作。"))


def clean_word(word):
    """The normalised dictionary form of ``word`` or ValidationError: 2–20 Han/Latin characters, no spaces."""
    value = normalize.normalize((word or "").strip())
    if not value:
        raise ValidationError({"word": _("请填写词语。")})
    if not normalize.TOKEN_RE.fullmatch(value) or not (2 <= len(value) <= 20):
        raise ValidationError({"word": _("词语须为 2–20 个汉字、字母或数字，不含空格和标点。")})
    return value


@action
def do_add_dictionary_term(committee, word, *, actor):
    """Add ``word`` to the committee's dictionary (normalised; an existing word is an error)."""
    _require(actor, "search.manage_dictionary", committee)
    value = clean_word(word)
    if DictionaryTerm.objects.filter(committee=committee, word=value).exists():
        raise ValidationError({"word": _("该词语已在词典中。")})
    term = DictionaryTerm.objects.create(committee=committee, word=value, created_by=actor if getattr(
        actor, "pk", None) else None)
    audit.record("search.term_added", term, changes={"word": value})
    dictionary.invalidate()
    return term


@action
def do_remove_dictionary_term(term, *, actor):
    _require(actor, "search.manage_dictionary", term.committee)
    audit.record("search.term_removed", term, changes={"word": term.word})
    term.delete()
    dictionary.invalidate()


def org_words(committee):
    """Words from the organisation data: the committee's, departments', sectors', special committees' and
    liaison groups' names (and short names)."""
    from xieshang.org.models import Department, LiaisonGroup, Sector, SpecialCommittee

    names = [committee.name, committee.short_name]
    names += [n for pair in Department.objects.filter(committee=committee).values_list("name", "short_name")
              for n in pair]
    names += list(Sector.objects.filter(committee=committee).values_list("name", flat=True))
    names += [n for pair in SpecialCommittee.objects.filter(committee=committee).values_list("name", "short_name")
              for n in pair]
    names += list(LiaisonGroup.objects.filter(committee=committee).values_list("name", flat=True))
    out = []
    for name in names:
        try:
            out.append(clean_word(name))
        except ValidationError:
            continue
    return sorted(set(out))


@action
def do_sync_dictionary(committee, *, actor):
    """Add the organisation's names that are not yet in the dictionary; returns how many were added."""
    _require(actor, "search.manage_dictionary", committee)
    existing = set(DictionaryTerm.objects.filter(committee=committee).values_list("word", flat=True))
    new = [w for w in org_words(committee) if w not in existing]
    DictionaryTerm.objects.bulk_create([
        DictionaryTerm(committee=committee, word=w, source=DictionaryTerm.Source.ORG,
                       created_by=actor if getattr(actor, "pk", None) else None) for w in new])
    audit.record("search.terms_synced", committee, changes={"added": new})
    dictionary.invalidate()
    return len(new)


@action
def do_record_suggestion(committee, proposal_id, *, suggested, chosen, reasons=(), actor):
    """Record what staff did with a department suggestion: ``accepted`` when every chosen department was
    suggested, ``overridden`` otherwise. ``suggested`` and ``chosen`` are Department rows of ``committee``;
    ``suggested`` in the order shown (best first), which is kept for top-1 accuracy."""
    from .models import SuggestionRecord

    _require(actor, "search.decide_suggestion", committee)
    suggested = list(dict.fromkeys(suggested))
    chosen = list(dict.fromkeys(chosen))
    if not chosen:
        raise ValidationError({"chosen": _("请至少选择一个承办单位。")})
    if any(d.committee_id != committee.pk for d in [*suggested, *chosen]):
        raise ValidationError({"chosen": _("所选项不存在或不属于本政协组织。")})
    suggested_ids = [d.pk for d in suggested]
    decision = (SuggestionRecord.Decision.ACCEPTED if {d.pk for d in chosen} <= set(suggested_ids)
                else SuggestionRecord.Decision.OVERRIDDEN)
    record = SuggestionRecord.objects.create(committee=committee, object_id=proposal_id, decision=decision,
                                             suggested_order=suggested_ids, reasons=list(reasons),
                                             decided_by=actor if getattr(actor, "pk", None) else None)
    record.suggested.set(suggested)
    record.chosen.set(chosen)
    audit.record("search.suggestion_decided", record, changes={
        "proposal": proposal_id, "decision": decision, "suggested": suggested_ids,
        "chosen": sorted(d.pk for d in chosen)})
    return record
