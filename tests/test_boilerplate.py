"""The general boilerplate rules: whole blocks of page furniture, never a real sentence."""

from __future__ import annotations

import re

import pytest

from mediawork.boilerplate import (
    RULES,
    is_headline_like,
    is_related_header,
    is_sentence_like,
    is_tag_header,
    is_tag_like,
    match_rule,
    normalize_line,
    strip_badges,
)


@pytest.mark.parametrize(
    ("block", "rule"),
    [
        ("Advertisement", "rule:advertisement"),
        ("ADVERTISEMENT", "rule:advertisement"),
        ("Story continues below advertisement", "rule:advertisement"),
        ("Advertisement · Scroll to continue", "rule:advertisement"),
        ("wsj-logo", "rule:logo"),
        ("site_logo", "rule:logo"),
        ("rec-icon", "rule:logo"),
        ("E-paper | Opinion & Analysis | Geopolitics | Sport | Puzzles", "rule:navigation"),
        ("Home › World › Europe", "rule:navigation"),
        ("Subscribe | Log in | E-paper | Puzzles", "rule:navigation"),
        ("Get the Morning Briefing newsletter in your inbox every weekday", "rule:newsletter"),
        ("Sign up for our daily newsletter on the war in Ukraine", "rule:newsletter"),
        ("We use cookies to improve this site. Accept all or manage your preferences.", "rule:cookie"),
        ("Accept all", "rule:cookie"),
        ("Subscribe now to read this story and every premium report", "rule:subscribe"),
        ("Subscribe Now @1199/year", "rule:subscribe"),
        ("Subscribe to continue reading", "rule:subscribe"),
        ("Already a subscriber? Log in", "rule:subscribe"),
        ("This article is for subscribers only.", "rule:subscribe"),
        ("Share this article", "rule:share"),
        ("Facebook Twitter WhatsApp Email", "rule:share"),
        ("Copy link", "rule:share"),
        ("Write to Alan Cullison at alan.cullison@wsj.com", "rule:contact"),
        ("Contact the reporter: desk@example.org", "rule:contact"),
        ("Follow @kyivdesk", "rule:contact"),
        ("Copyright 2025 The Associated Press. All rights reserved.", "rule:copyright"),
        ("© 2025 Midlands Gazette Ltd. Registered in England.", "rule:copyright"),
        ("All rights reserved.", "rule:copyright"),
        ("Zelensky speaks in Kyiv on Monday. (AP Photo/Efrem Lukatsky)", "rule:caption"),
        ("Delegates arrive in Jeddah. Photo: Amer Hilabi/AFP", "rule:caption"),
        ("Keir Starmer in London. Photograph: Toby Melville/Reuters", "rule:caption"),
        ("Soldiers near Pokrovsk. Getty Images", "rule:caption"),
        ("rec-icon Recommended Topics", "rule:related"),
        ("Related coverage", "rule:related"),
        ("See More", "rule:related"),
        ("Most read", "rule:related"),
        ("Also read: Kremlin keeps its distance from US truce plan", "rule:related"),
        ("Read breaking news and the latest updates from around the world.", "rule:promo"),
        ("Read full news in source page", "rule:promo"),
        ("Download our app for the latest updates", "rule:promo"),
        ("4 min read", "rule:widget"),
        ("Listen to this article", "rule:widget"),
        ("Comments", "rule:widget"),
        # skip links, menu bars, live-blog controls, weather, support prompts, footer links, contributors
        ("Skip to main content", "rule:navigation"),
        ("Jump to navigation", "rule:navigation"),
        ("Menu Search Newsletters Podcasts Events", "rule:navigation"),
        ("Home Video Live Sign in", "rule:navigation"),
        ("Show key events only", "rule:widget"),
        ("Refresh for updates", "rule:widget"),
        ("Newest first", "rule:widget"),
        ("Updated 2 hours ago", "rule:widget"),
        ("Riverside 61°F Mostly sunny", "rule:weather"),
        ("Odesa 4 °C", "rule:weather"),
        ("Kyiv -3°C Snow showers, feels like -8°C", "rule:weather"),
        ("Quality reporting costs money. Support the Gazette today.", "rule:support"),
        ("Donate to our newsroom", "rule:support"),
        ("Please support independent journalism.", "rule:support"),
        ("Reuse this content", "rule:footer"),
        ("Terms of Use", "rule:footer"),
        ("Do Not Sell or Share My Personal Information", "rule:footer"),
        ("How we verify our stories., opens new tab", "rule:footer"),
        ("Sign up to Morning Digest", "rule:newsletter"),
        ("Sign up here.", "rule:newsletter"),
        ("after newsletter promotion", "rule:newsletter"),
        ("Privacy notice: we use your email address only to send the newsletters you asked for.", "rule:newsletter"),
        ("Tomas Berg contributed reporting from Odesa.", "rule:contributor"),
        ("Lena Ortiz and Ravi Menon contributed to this report.", "rule:contributor"),
        ("Nadia Petrova reported from Warsaw.", "rule:contributor"),
        ("Delegates met at a hotel near the coast. (Bloomberg)", "rule:caption"),
        ("Envoys walk to the talks. (Herald staff photo)", "rule:caption"),
        ("A tanker near the port of Izmail. REUTERS/Jane Roe Purchase Licensing Rights, opens new tab", "rule:caption"),
        ("By Gwen Halvorsen | Lakeside Tribune", None),  # a byline, not a menu
    ],
)
def test_boilerplate_blocks_match_their_rule(block: str, rule: str | None) -> None:
    assert match_rule(block) == rule


@pytest.mark.parametrize(
    "sentence",
    [
        "Moscow refused to subscribe to the European proposal, the ministry said.",
        "Officials said the share of exports through the Black Sea fell.",
        "The advertisement campaign by the ministry ran for two weeks.",
        "Copyright holders sued the broadcaster over the footage, court papers showed.",
        "Kyiv agreed.",
        "Read the statement in full, Peskov told reporters on Tuesday.",
        "Follow-up talks are planned in Riyadh next week, diplomats said.",
        "Related talks on prisoner exchanges will resume on Monday, officials said.",
        "“Subscribe to peace, not to war,” Zelensky said in his nightly address.",
        "Witkoff said he would share the details with European allies.",
        "Trump posted on Truth Social that the call went well.",
        "The newsletter, launched in 2019, reached two million readers.",
        "Getty Images said on Tuesday that it would cut jobs in Europe.",
        "Home owners in Kharkiv said drones hit three buildings overnight.",
        "Ukraine Cease-Fire Hinges on Trump Call With Putin",
        # near misses of the newer rules
        "Support for Kyiv is waning in some capitals, diplomats said.",
        "Support for the deal grew.",
        "Support Ukraine now.",
        "Temperatures fell to -18°C overnight, leaving thousands without heat.",
        "Kyiv braces for snow as temperatures fall to -15°C",
        "The ministry reported from Moscow that the talks had stalled.",
        "The Kremlin reported from Moscow.",
        "Officials contributed.",
        "Envoys Meet in Jeddah",
        "World news",
        "Live Music Returns to Kyiv",
        "Terms of the truce were not published.",
        "Putin met Witkoff in St Petersburg, the Kremlin said (video).",
        "The talks ended late on Tuesday (Reuters)",
    ],
)
def test_real_sentences_match_no_rule(sentence: str) -> None:
    assert match_rule(sentence) is None


def test_rules_table_is_declared_once_with_names_and_docs() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"rule:[a-z]+", name) for name in names)
    assert all(rule.doc and callable(rule.test) for rule in RULES)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("  Subscribe Now @1199/year ", "subscribe now 1199 year"),
        ("rec-icon  Recommended Topics", "rec icon recommended topics"),
        ("SHARE THIS ARTICLE!", "share this article"),
        ("Ukraine Cease-Fire Hinges", "ukraine cease fire hinges"),
        ("“Quoted”\u00a0text", "quoted text"),
        ("", ""),
    ],
)
def test_normalize_line_folds_case_space_and_punctuation(line: str, key: str) -> None:
    assert normalize_line(line) == key


@pytest.mark.parametrize(
    ("headline", "bare"),
    [
        ("Ukraine Cease-Fire Hinges on Trump Call With Putin PREMIUM", "Ukraine Cease-Fire Hinges on Trump Call With Putin"),
        ("EXCLUSIVE: Envoys draft truce text", "Envoys draft truce text"),
        ("LIVE: Trump and Putin speak by phone", "Trump and Putin speak by phone"),
        ("Live: Trump and Putin speak by phone", "Trump and Putin speak by phone"),
        ("Live music returns to Kyiv", "Live music returns to Kyiv"),
        ("Envoys meet | ANALYSIS", "Envoys meet"),
    ],
)
def test_strip_badges(headline: str, bare: str) -> None:
    assert strip_badges(headline) == bare


@pytest.mark.parametrize(
    ("text", "sentence", "headline"),
    [
        ("Talks resumed on Monday.", True, False),
        ("“He wants to drag things out.”", True, False),
        ("Kyiv agreed.", False, False),
        ("See More", False, True),
        ("Who will blink first?", True, True),
        ("Ukraine Cease-Fire Hinges on Trump Call With Putin", False, True),
    ],
)
def test_sentence_and_headline_shapes(text: str, sentence: bool, headline: bool) -> None:
    assert is_sentence_like(text) is sentence
    assert is_headline_like(text) is headline


@pytest.mark.parametrize(
    ("text", "tag_header", "related_header"),
    [
        ("rec-icon Recommended Topics", True, False),
        ("Explore more on these topics", True, False),
        ("Tags", True, False),
        ("Related coverage", False, True),
        ("Most viewed", False, True),
        ("Russia", False, False),
    ],
)
def test_headers(text: str, tag_header: bool, related_header: bool) -> None:
    assert is_tag_header(text) is tag_header
    assert is_related_header(text) is related_header


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Russia", True), ("Donald Trump", True), ("Talks resumed on Monday.", False), ("russia", False), ("2025", False), ("A | B", False)],
)
def test_is_tag_like(text: str, expected: bool) -> None:
    assert is_tag_like(text) is expected


def _first_rule(block: str) -> str | None:
    """match_rule's answer by trying every rule of RULES in order (no word-count shortcut)."""
    text = block.strip()
    key = normalize_line(text)
    return next((rule.name for rule in RULES if rule.test(text, key)), None)


@pytest.mark.parametrize(
    "block",
    [
        "Advertisement",
        "Share this article",
        "Sign up to our morning briefing newsletter for the day's top stories in your inbox",
        "Copyright 2025 Lakeside Tribune. All rights reserved.",
        "Envoys met in Riyadh on Monday for a second round of talks. " * 3,
        "Home | World | Business | Sports",
        "Jane Doe contributed reporting from Kyiv.",
        "We use cookies to improve your experience; accept or manage your preferences in settings. " + "More words here. " * 10,
        " ".join(["word"] * 90),
        "Tags: Ukraine, Russia, Talks",
    ],
)
def test_rules_skipped_by_word_count_never_match(block):
    assert match_rule(block) == _first_rule(block)
