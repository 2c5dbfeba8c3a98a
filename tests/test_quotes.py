"""Quotation styles, attribution and scare quotes on small synthetic articles."""
from __future__ import annotations

import pytest

from generator.ingest.analyze import analyze, quote_id
from generator.ingest.registry import Registry
from generator.ingest.topics import Taxonomy, Topic
from generator.ingest.who.quotes import find_spans, quote_text

TAX = Taxonomy([Topic("fisheries", "Fisheries", "", ("fishing quota", "trawler"))])


def run(*paragraphs, title="A headline", registry=None):
    reg = registry if registry is not None else Registry()
    return analyze(title, list(paragraphs), reg, TAX), reg


def said(result, reg):
    """[(speaker name, quote text)] in body order."""
    return [(reg.get(q["speaker"]).name, q["text"]) for q in result.quotes]


def test_quote_then_name_said():
    a, reg = run('"The harbour will reopen next spring," Harbour Master Ines Okafor said on Monday.')
    assert said(a, reg) == [("Ines Okafor", "The harbour will reopen next spring")]
    assert a.quotes[0]["partial"] is False
    assert reg.get(a.speakers[0]).role == "Harbour Master"


def test_said_name_inversion_with_role_after():
    a, reg = run("“Nobody expected the quota to fall this far,” said Tomas Brekke, a trawler captain from Tromsø.")
    assert said(a, reg) == [("Tomas Brekke", "Nobody expected the quota to fall this far")]
    assert "captain" in reg.get(a.speakers[0]).role


def test_name_said_colon():
    a, reg = run('Fisheries Commissioner Paula Rinne said: "We cannot keep fishing at this rate."')
    assert said(a, reg) == [("Paula Rinne", "We cannot keep fishing at this rate.")]


def test_pronoun_resolves_to_last_person_of_matching_gender():
    a, reg = run(
        'Marta Lind, who chairs the cooperative, said prices had collapsed. '
        'Jonas Weber, who buys for a Hamburg chain, disagreed.',
        '"We are far apart on price," he said.',
        '"We will not sign anything this week," she added.')
    assert said(a, reg) == [("Jonas Weber", "We are far apart on price"),
                            ("Marta Lind", "We will not sign anything this week")]


def test_role_noun_resolves_to_person():
    a, reg = run(
        "Former Chilean minister Rosa Alvear opened the conference in Valparaiso.",
        '"The ocean does not recognise borders," the former Chilean minister stressed.')
    assert said(a, reg) == [("Rosa Alvear", "The ocean does not recognise borders")]
    assert any("Chilean minister" in x for x in reg.get(a.speakers[0]).aliases)


def test_stressed_that_and_partial_quote():
    a, reg = run('Port director Hugo Sandoval stressed that "every vessel will be inspected" before '
                 'the season, calling the new rules "fair but tough".')
    assert said(a, reg) == [("Hugo Sandoval", "every vessel will be inspected"),
                            ("Hugo Sandoval", "fair but tough")]
    assert all(q["partial"] for q in a.quotes)


def test_missing_closing_mark_with_trailing_attribution():
    a, reg = run('Union leader Kofi Mensah spoke first. The deal is "a betrayal of every crew on this coast, he said.')
    assert said(a, reg) == [("Kofi Mensah", "a betrayal of every crew on this coast")]


def test_unclosed_quote_runs_to_paragraph_end_and_continues():
    a, reg = run(
        '"The stocks are recovering," biologist Sara Holm said. "We see more juvenile cod every year.',
        '"But one good season does not make a trend."',
        "Other scientists were more cautious.")
    assert said(a, reg) == [("Sara Holm", "The stocks are recovering"),
                            ("Sara Holm", "We see more juvenile cod every year."),
                            ("Sara Holm", "But one good season does not make a trend.")]


@pytest.mark.parametrize("para", [
    "'We are ready,' said coach Dimitri Pavlou.",
    "‘We are ready,’ said coach Dimitri Pavlou.",
    "“We are ready,” said coach Dimitri Pavlou.",
    '"We are ready," said coach Dimitri Pavlou.',
])
def test_straight_curly_and_single_marks(para):
    a, reg = run(para)
    assert said(a, reg) == [("Dimitri Pavlou", "We are ready")]


def test_apostrophes_are_not_quote_marks():
    text = "It’s the club’s best season since the ’90s, and the players’ mood is good."
    assert find_spans(text) == []


def test_nested_quotes_stay_inside():
    para = "“They keep talking about a ‘new era’ of cooperation, but nothing changes,” Chen Wei said."
    spans = find_spans(para)
    assert [quote_text(para, s) for s in spans] == [
        "They keep talking about a ‘new era’ of cooperation, but nothing changes"]
    a, reg = run(para)
    assert said(a, reg)[0][0] == "Chen Wei"


def test_two_segments_one_paragraph():
    a, reg = run('"We tested every sample," Dr Amara Obi said. "None of them passed."')
    assert said(a, reg) == [("Amara Obi", "We tested every sample"), ("Amara Obi", "None of them passed.")]


def test_according_to():
    a, reg = run("Mayor Lena Vogt opened the bridge. According to Vogt, the repairs "
                 "\"took longer than anybody wanted, and cost twice as much.\"")
    assert said(a, reg) == [("Lena Vogt", "took longer than anybody wanted, and cost twice as much.")]


def test_interview_answers_belong_to_the_interviewee():
    a, reg = run(
        "Novelist Iris Calloway talked to the Courier about her new book.",
        "Courier: Why did it take so long?",
        "Calloway: I rewrote it three times.",
        "Courier: Will there be a sequel?",
        "Iris Calloway: Not for a while, I need a rest.")
    assert a.format == "interview" and a.interviewer == "Courier"
    assert said(a, reg) == [("Iris Calloway", "I rewrote it three times."),
                            ("Iris Calloway", "Not for a while, I need a rest.")]
    assert a.speakers == ["iris-calloway"]


def test_anonymous_q_and_a():
    a, reg = run("Chef Paolo Ferri runs a small restaurant in Turin.",
                 "Q: What do you cook at home?", "A: Nothing fancy. Pasta.",
                 "Q: And on Sundays?", "A: Still pasta.")
    assert a.interviewer == "Q"
    assert [n for n, _ in said(a, reg)] == ["Paolo Ferri", "Paolo Ferri"]


def test_organisations_speak():
    a, reg = run(
        "Talks between the two countries stalled in Oslo this week, Norway's officials said.",
        '"The Norwegian side insists on full access to the northern grounds," the Fisheries Ministry said.',
        'The Bergen daily Nordlys Tidende was unimpressed. "This is posturing, not policy," Nordlys Tidende wrote.')
    names = [n for n, _ in said(a, reg)]
    assert names == ["Norwegian Fisheries Ministry", "Nordlys Tidende"]
    assert all(reg.get(s).kind == "organization" for s in a.speakers)


def test_spokesperson_for_organisation():
    a, reg = run('A spokeswoman for the retailer FreshCo said: "All affected packs have been withdrawn."')
    assert said(a, reg) == [("FreshCo", "All affected packs have been withdrawn.")]


def test_scare_quotes_and_paraphrase():
    a, reg = run(
        'Economy Minister Karl Brandt promised a "fresh start" for coastal towns.',
        'Critics called it a "cosmetic" change, and the plan still faces a "long road".',
        "Brandt said he would publish the figures in June.")
    assert a.quotes == []
    assert a.speakers == [] and a.mentions == ["karl-brandt"]


def test_short_fragment_governed_by_verb_is_partial_quote():
    a, reg = run('Senator Ruth Adeyemi praised as "long overdue" the reform of the fishing quota system.')
    assert said(a, reg) == [("Ruth Adeyemi", "long overdue")]
    assert a.quotes[0]["partial"] is True
    assert a.topics == ["fisheries"] and a.topic_terms == {"fisheries": ["fishing quota"]}


def test_quote_ids_are_stable_and_unique():
    a, _ = run('"Yes," Anna Berg said. "We agree." "Yes," she added.')
    ids = [q["id"] for q in a.quotes]
    assert ids[0] == quote_id("Yes") and ids[-1] == quote_id("Yes") + "-2"
    assert all(len(i.split("-")[1]) == 8 for i in ids)


def test_headline_paragraph_is_not_analysed():
    a, _ = run('“We will be back” – Halvorsen', '"We will be back," skipper Ole Halvorsen said.',
               title="“We will be back” – Halvorsen")
    assert len(a.quotes) == 1
