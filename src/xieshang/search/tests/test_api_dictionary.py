"""The segmentation dictionary in the API: list, add, remove, sync (permission ``search.manage_dictionary``)."""

import pytest

from xieshang.api.tests.helpers import call
from xieshang.core.models import AuditEvent
from xieshang.search import actions
from xieshang.search.models import DictionaryTerm
from xieshang.testing import PERSONA_NAMES

URL = "/api/v1/committees/district/dictionary"
MANAGERS = {"proposal_staff", "info_editor", "office_admin", "sysadmin"}
# Personas who cannot see the district at all.
OUTSIDE = {"other_staff", "informant", "outsider"}


def refusal(persona):
    return 404 if persona in OUTSIDE else 403


@pytest.fixture
def terms(personas):
    p = personas
    p.term = actions.do_add_dictionary_term(p.district, "典农河", actor=p.proposal_staff)
    p.other_term = actions.do_add_dictionary_term(p.other, "西城区", actor=None)
    return p


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_list_is_for_dictionary_managers(client, terms, persona):
    response = call(client, "GET", URL, getattr(terms, persona))
    if persona in MANAGERS:
        assert response.status_code == 200
        assert [(t["id"], t["word"], t["source"]) for t in response.json()] == [(terms.term.pk, "典农河", "manual")]
    else:
        assert response.status_code == refusal(persona)
        assert "典农河" not in response.content.decode()


def test_adding_a_word_normalises_it_and_is_audited(client, terms):
    response = call(client, "POST", URL, terms.info_editor, {"word": " 閱海灣 "})
    assert response.status_code == 201, response.json()
    assert response.json()["word"] == "阅海湾" and response.json()["source"] == "manual"
    term = DictionaryTerm.objects.get(pk=response.json()["id"])
    assert (term.committee, term.word, term.created_by) == (terms.district, "阅海湾", terms.info_editor)
    assert AuditEvent.objects.get(verb="search.term_added", changes__word="阅海湾").via == "api"


@pytest.mark.parametrize("body, field", [
    ({"word": "典农河"}, "word"),  # already there
    ({"word": ""}, "word"),
    ({"word": "河"}, "word"),
    ({"word": "有 空格"}, "word"),
    ({"word": "标点！"}, "word"),
    ({"word": "长" * 21}, "word"),
    ({"word": "长" * 41}, "word"),
    ({}, "word"),
    ({"word": "阅海湾", "source": "org"}, "source"),
])
def test_a_bad_word_is_a_422_and_nothing_is_added(client, terms, body, field):
    before = DictionaryTerm.objects.count()
    response = call(client, "POST", URL, terms.proposal_staff, body)
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert DictionaryTerm.objects.count() == before


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_managers_add_words(client, terms, persona):
    response = call(client, "POST", URL, getattr(terms, persona), {"word": "阅海湾"})
    assert response.status_code == (201 if persona in MANAGERS else refusal(persona))
    assert DictionaryTerm.objects.filter(word="阅海湾").exists() == (persona in MANAGERS)


def test_removing_a_word(client, terms):
    response = call(client, "DELETE", f"{URL}/{terms.term.pk}", terms.office_admin)
    assert response.status_code == 204
    assert not DictionaryTerm.objects.filter(pk=terms.term.pk).exists()
    assert AuditEvent.objects.filter(verb="search.term_removed").exists()
    assert call(client, "DELETE", f"{URL}/{terms.term.pk}", terms.office_admin).status_code == 404


def test_another_committees_word_cannot_be_removed_through_this_one(client, terms):
    response = call(client, "DELETE", f"{URL}/{terms.other_term.pk}", terms.sysadmin)
    assert response.status_code == 404
    assert DictionaryTerm.objects.filter(pk=terms.other_term.pk).exists()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_managers_remove_words(client, terms, persona):
    response = call(client, "DELETE", f"{URL}/{terms.term.pk}", getattr(terms, persona))
    assert response.status_code == (204 if persona in MANAGERS else refusal(persona))
    assert DictionaryTerm.objects.filter(pk=terms.term.pk).exists() == (persona not in MANAGERS)


def test_sync_adds_the_organisations_names_once(client, terms):
    expected = [w for w in actions.org_words(terms.district) if w != "典农河"]
    response = call(client, "POST", f"{URL}/sync", terms.proposal_staff)
    assert response.status_code == 200 and response.json() == {"added": len(expected)} != {"added": 0}
    words = set(DictionaryTerm.objects.filter(committee=terms.district, source="org").values_list("word", flat=True))
    assert words == set(expected) and "区生态环境局" in words
    assert call(client, "POST", f"{URL}/sync", terms.proposal_staff).json() == {"added": 0}


@pytest.mark.parametrize("persona", ["member", "info_signer", "dept_handler", "other_staff", "outsider"])
def test_others_cannot_sync(client, terms, persona):
    response = call(client, "POST", f"{URL}/sync", getattr(terms, persona))
    assert response.status_code == refusal(persona)
    assert not DictionaryTerm.objects.filter(source="org").exists()
