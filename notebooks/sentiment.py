# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: mediawork (.venv)
#     language: python
#     name: mediawork
# ---

# %% tags=["parameters"]
data_dir: str = "../data/processed"  # folder holding articles.parquet and the tables of `mediawork analyze` (sentences.parquet, mentions.parquet)
date_from: str = ""  # first publication day to include (inclusive, ISO date such as 2025-03-01); empty means no lower bound
date_to: str = ""  # last publication day to include (inclusive, ISO date); empty means no upper bound
sources: str = ""  # comma-separated sources or outlets to include such as hindustantimes.com,WSJ; empty means all
top_n: int = 20  # how many actors the actor-sentiment chart shows (the most mentioned)
min_count: int = 2  # an actor needs at least this many sentences mentioning it to be shown
rolling_days: int = 7  # width in days of the rolling mean in the sentiment-over-time chart
title: str = "Sentiment"  # heading of the report

# %%
import html

import pandas as pd
from IPython.display import HTML, display

from mediawork import figures, overview, profile, reports, sentiment, store, text

# %%
display(HTML(reports.report_header(title, data_dir=data_dir, parameters={"date_from": date_from, "date_to": date_to, "sources": sources, "top_n": top_n, "min_count": min_count, "rolling_days": rolling_days, "title": title})))

# %% [markdown]
# The table above records how this report was made: its parameters, a **data
# fingerprint** (equal fingerprints mean the same ingested inputs), software versions
# and the time it ran.
#
# ## How to read a compound score
#
# Every sentence was scored with **VADER**, a sentiment lexicon with rules for
# negation ("not good"), intensifiers ("very"), capitals and exclamation marks. Its
# **compound score** runs from **-1** (as negative as it gets) through **0** (no
# sentiment words, or they cancel out) to **+1** (as positive as it gets). By VADER's
# usual cut-offs a sentence is *positive* at +0.05 or more, *negative* at -0.05 or
# less, and *neutral* in between. An article's score is the mean of its sentences.
#
# Read the scores as the tone of the *wording*, not as a verdict on events: news about
# a war uses many negative words even when it reports progress, and the lexicon knows
# nothing of who is praised or blamed. Differences between groups of articles are more
# telling than any single number.
#
# ## The selection

# %%
articles, message = overview.read_selection(data_dir, date_from=date_from, date_to=date_to, sources=sources, columns=overview.METADATA_COLUMNS)
sentences = store.read_for_articles("sentences", data_dir, articles)
mentions = store.read_for_articles("mentions", data_dir, articles)
gap = profile.analysis_gap(articles, {"sentences.parquet": sentences}, data_dir=data_dir)
display(HTML(f"<p><strong>{html.escape(message)}</strong></p><p>{html.escape(gap)}</p>"))

# %% [markdown]
# ## Sentiment over time
#
# Each dot is one article: its mean compound score on its publication day (UTC). The
# black line is the **rolling mean** over all articles published in the preceding
# days (the window is set by `rolling_days`), and the grey **band** spans one standard
# deviation either side: a wide band means the articles of that period disagree in
# tone. Coloured lines and bands do the same for the sources with most articles; a
# line that stops means the source published nothing in the window. Small groups
# swing widely, so read a line against the number of articles in the legend.

# %%
article_scores = sentiment.article_sentiment(sentences, articles=articles)
ax_time = figures.plot_sentiment_over_time(article_scores, articles, days=rolling_days, top=4)

# %% [markdown]
# ### Per source
#
# `compound_mean` is the mean of the articles' scores (each article weighs the same);
# `tone_mean` is the mean of a GDELT-like *tone*: positive minus negative lexicon
# words per hundred words, without VADER's rules.

# %%
by_source = sentiment.sentiment_by(article_scores, articles, by="source", freq=None)
display(HTML(overview.html_table(by_source.round(3), empty="No scored articles in this selection.")))

# %% [markdown]
# ## Distribution of sentence scores
#
# How many sentences fall at each score. The tall grey bar at 0 is made of sentences
# with no sentiment words at all, common in factual reporting. The shares in the
# legend use VADER's cut-offs.

# %%
ax_distribution = figures.plot_sentiment_distribution(sentences)

# %% [markdown]
# ## Sentiment toward actors
#
# **Actor-targeted sentiment** is the mean compound score of the sentences that
# mention an actor (from the actor dictionary). It measures the tone of the
# sentences an actor appears in, which is not always the tone *toward* the actor: in
# "Putin rejected the ceasefire the Ukrainians accepted", the same words count for
# both. `n` is the number of sentences; actors with fewer than `min_count` are left out.

# %%
actor_scores = sentiment.actor_sentiment(sentences, mentions)
actor_scores = actor_scores[actor_scores["n_sentences"] >= min_count]
ax_actors = figures.plot_actor_sentiment(actor_scores, top=top_n)

# %%
display(HTML(overview.html_table(actor_scores.sort_values(["n_sentences", "actor"], ascending=[False, True]).head(top_n).round(3), empty="No actor is mentioned often enough in this selection.")))

# %% [markdown]
# ## The most positive and most negative sentences
#
# To check what the scores respond to, here are the five sentences with the highest
# and the five with the lowest compound score.

# %%
extremes = sentences.sort_values(["compound", "article_id", "sentence_id"], ascending=[False, True, True])
display(HTML(overview.html_table(extremes.head(5)[["compound", "text", "article_id"]], caption="Most positive", empty="No scored sentences.")))
display(HTML(overview.html_table(extremes.tail(5).iloc[::-1][["compound", "text", "article_id"]], caption="Most negative", empty="No scored sentences.")))

# %% [markdown]
# ## Lexicon and language resources
#
# Which sentiment lexicon scored the sentences (NLTK's `vader_lexicon` when it is
# installed, otherwise the copy shipped with vaderSentiment corrected to match it
# exactly), and which sentence splitter, tokenizer and stopword list are in use. If
# `mediawork analyze` was run with a lexicon overrides file, the sentence scores above
# include those overrides while the lexicon named here is the default one.

# %%
resources = {"sentiment lexicon": sentiment.lexicon_source(), **text.resources()}
display(HTML(overview.html_table(pd.DataFrame({"resource": list(resources), "in use": list(resources.values())}))))
