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
data_dir: str = "../data/processed"  # folder holding articles.parquet and the tables of `mediawork analyze` (mentions.parquet, sentences.parquet)
date_from: str = ""  # first publication day to include (inclusive, ISO date such as 2025-03-01); empty means no lower bound
date_to: str = ""  # last publication day to include (inclusive, ISO date); empty means no upper bound
sources: str = ""  # comma-separated sources or outlets to include such as hindustantimes.com,WSJ; empty means all
actors_file: str = "../data/actors.yml"  # the actor dictionary, used to accept an alias or title as the actor's name
actor: str = "Vladimir Putin"  # the actor to profile: a canonical name from the actor dictionary, or one of its aliases
window: str = "sentence"  # where another actor counts as appearing with this one: sentence, paragraph or article
min_count: int = 2  # another actor must share at least this many windows to be listed as company
top_n: int = 20  # how many partners, sources and context lines to show
title: str = "Actor profile"  # heading of the report (the actor's name is added)

# %%
import html
from pathlib import Path

from IPython.display import HTML, display

from mediawork import actors, cooccurrence, figures, overview, profile, reports, store

# %%
articles, message = overview.read_selection(data_dir, date_from=date_from, date_to=date_to, sources=sources, columns=overview.METADATA_COLUMNS)
sentences = store.read_for_articles("sentences", data_dir, articles)
mentions = store.read_for_articles("mentions", data_dir, articles)
dictionary = actors.load_actors(actors_file) if Path(actors_file).is_file() else None
lookup = profile.find_actor(actor, mentions, dictionary=dictionary)
name = lookup.actor or actor
display(HTML(reports.report_header(f"{title}: {name}", data_dir=data_dir, parameters={"date_from": date_from, "date_to": date_to, "sources": sources, "actors_file": actors_file, "actor": actor, "window": window, "min_count": min_count, "top_n": top_n, "title": title})))

# %% [markdown]
# The table above records how this report was made: its parameters, a **data
# fingerprint** (equal fingerprints mean the same ingested inputs), software versions
# and the time it ran.
#
# A **mention** is a place where the actor dictionary found the actor: under its
# name, an alias, a title (*the Kremlin leader*) or, once the full name has appeared
# in an article, the surname alone.
#
# ## The selection

# %%
gap = profile.analysis_gap(articles, {"sentences.parquet": sentences, "mentions.parquet": mentions}, data_dir=data_dir)
display(HTML(f"<p>{html.escape(message)}</p><p>{html.escape(gap)}</p><p><strong>{html.escape(lookup.message)}</strong></p>"))

# %% [markdown]
# ## Mentions over time
#
# Grey bars are all the articles of the selection published each week (UTC, weeks
# from Monday); blue bars the ones mentioning the actor, with the number of mentions
# written above. A blue bar close to the grey one means the actor is in most of that
# week's coverage.

# %%
timeline = profile.actor_timeline(mentions, articles, lookup.actor, freq="W")
ax_timeline = figures.plot_actor_timeline(timeline, actor=name)

# %% [markdown]
# ## Sentiment of the sentences mentioning the actor
#
# The mean compound score (VADER, -1 to +1) of the sentences that mention the actor,
# next to the mean over every sentence of the selection. It measures the tone of the
# sentences the actor appears in, not a judgement about the actor: words about other
# people in the same sentence count too. Shares are of sentences at +0.05 or more
# (positive) and -0.05 or less (negative).

# %%
summary = profile.actor_summary(sentences, mentions, lookup.actor)
display(HTML(overview.html_table(summary.round(3), empty="No scored sentences in this selection.")))

# %% [markdown]
# ### By source
#
# The same score per source. Sources with only a sentence or two (`n`) swing to the
# extremes; compare the sources with many sentences.

# %%
by_source = profile.actor_sentiment_by(sentences, mentions, articles, lookup.actor, by="source")
ax_sentiment = figures.plot_actor_sentiment(by_source, top=top_n, label="source", title=f"Sentiment of sentences mentioning {name}, by source")

# %% [markdown]
# ## Who the actor appears with
#
# Other actors mentioned in the same window (parameter `window`), most shared windows
# first. **NPMI** says how tight the tie is once each actor's overall frequency is
# accounted for: 0 is what chance would give, +1 means always together, negative
# values mean less often together than chance.

# %%
cooc = cooccurrence.build_cooccurrence(mentions, sentences=sentences, window=window, min_count=min_count)
partners = profile.actor_partners(cooc, lookup.actor)
ax_partners = figures.plot_actor_partners(partners, top=top_n, actor=name, window=window)

# %%
display(HTML(overview.html_table(partners.head(top_n).round(3), empty=f"{name} appears with no other actor in at least {min_count} {window}s.")))

# %% [markdown]
# ## The actor in context
#
# The first mentions in order of publication, with eight words either side and the
# form the text used (`mention`).

# %%
lines = profile.actor_kwic(sentences, mentions, lookup.actor, articles=articles, window=8)
display(HTML(overview.html_table(lines.head(top_n), empty="No mentions to show.")))

# %% [markdown]
# ## Sources covering the actor most
#
# For each source, the number of its articles mentioning the actor and what share of
# its articles in the selection that is: a small source can cover an actor in every
# article while a large one mentions it only now and then.

# %%
covering = profile.actor_sources(mentions, articles, lookup.actor)
ax_sources = figures.plot_actor_sources(covering, top=top_n, actor=name)

# %%
display(HTML(overview.html_table(covering.head(top_n).round(3), empty="No source mentions the actor.")))
