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
top_n: int = 20  # how many actors the heatmap and the network show, and how many pairs the tables list
window: str = "sentence"  # where two actors count as appearing together: sentence, paragraph or article
min_count: int = 2  # a pair must appear together in at least this many windows to be kept
title: str = "Actor co-occurrence"  # heading of the report

# %%
import html

from IPython.display import HTML, display

from mediawork import cooccurrence, figures, overview, profile, reports, store

# %%
display(HTML(reports.report_header(title, data_dir=data_dir, parameters={"date_from": date_from, "date_to": date_to, "sources": sources, "top_n": top_n, "window": window, "min_count": min_count, "title": title})))

# %% [markdown]
# The table above records how this report was made: its parameters, a **data
# fingerprint** (equal fingerprints mean the same ingested inputs), software versions
# and the time it ran.
#
# Two actors **co-occur** when both are mentioned in the same *window*: the same
# sentence (the default and the strictest), the same paragraph or the same article
# (parameter `window`). Actors are those of the actor dictionary, found under any of
# their names, aliases and titles. A pair is kept when it shares at least `min_count`
# windows.
#
# ## The selection

# %%
articles, message = overview.read_selection(data_dir, date_from=date_from, date_to=date_to, sources=sources, columns=overview.METADATA_COLUMNS)
sentences = store.read_for_articles("sentences", data_dir, articles, columns=["article_id", "paragraph_id", "sentence_id"])
mentions = store.read_for_articles("mentions", data_dir, articles)
gap = profile.analysis_gap(articles, {"sentences.parquet": sentences, "mentions.parquet": mentions}, data_dir=data_dir)
cooc = cooccurrence.build_cooccurrence(mentions, sentences=sentences, window=window, min_count=min_count)
summary = f"{mentions['actor'].nunique()} actors mentioned {len(mentions)} times; {len(cooc)} pairs share at least {min_count} {window}s."
display(HTML(f"<p><strong>{html.escape(message)}</strong></p><p>{html.escape(summary)}</p><p>{html.escape(gap)}</p>"))

# %% [markdown]
# ## Who appears with whom
#
# Rows and columns are the actors with most co-occurrences; each cell is the number of
# windows (here: the `window` parameter) in which the two appear together. Read a row
# to see an actor's usual company. Blank cells are pairs below `min_count`.

# %%
ax_heatmap = figures.plot_cooccurrence_heatmap(cooc, top=top_n)

# %% [markdown]
# ## The actor network
#
# Each actor is a node and each kept pair an edge. **Node size** is the actor's
# *weighted degree* (all the windows it shares with others), **edge width** the
# number of windows a pair shares. **Colours** are communities: groups of actors
# more tied to each other than to the rest (Louvain method, seeded so the result is
# the same on every run). The layout is force-directed and seeded too: closeness on
# the page roughly follows strength of ties, but positions themselves mean nothing.

# %%
graph = cooccurrence.cooccurrence_graph(cooc)
measures = cooccurrence.graph_measures(graph, seed=0)
ax_network = figures.plot_actor_network(graph, measures, top=top_n, seed=0)

# %% [markdown]
# ## Pairs and how strongly they are tied
#
# `sentences` counts the shared windows (sentences, paragraphs or articles, following
# `window`) and `articles` the articles they come from. Raw counts favour actors who
# are mentioned everywhere, so three measures correct for how often each actor
# appears on its own:
#
# - **PMI** (pointwise mutual information): log₂ of how much more often the pair
#   appears together than if the two were mentioned independently; 0 means "as often
#   as chance", 1 "twice as often".
# - **NPMI**: PMI rescaled to run from **-1** (never together) through **0**
#   (independent) to **+1** (always together). It is the easiest to compare across
#   pairs: above about 0.3 is a strong tie.
# - **Jaccard**: the share of the windows mentioning either actor that mention both.
#
# The first table lists the pairs sharing most windows, the second the most tightly
# tied pairs by NPMI (rare pairs can score high: check their counts).

# %%
columns = ["actor_a", "actor_b", "sentences", "articles", "pmi", "npmi", "jaccard"]
display(HTML(overview.html_table(cooc[columns].head(top_n).round(3), caption="Most frequent pairs", empty="No pair of actors appears together often enough.")))
display(HTML(overview.html_table(cooc.sort_values(["npmi", "sentences", "actor_a", "actor_b"], ascending=[False, False, True, True])[columns].head(top_n).round(3), caption="Most tightly tied pairs (NPMI)", empty="No pair of actors appears together often enough.")))

# %% [markdown]
# ## Network measures
#
# - `degree`: how many other actors an actor appears with;
# - `weighted_degree`: how many windows it shares with them in total;
# - `betweenness`: how often it lies on the shortest path between two other actors
#   (strong ties count as short), i.e. how much it bridges otherwise separate groups;
# - `eigenvector`: high when an actor is tied to actors who are themselves central;
# - `community`: the community number used for the colours above (1 is the largest).

# %%
display(HTML(overview.html_table(measures.assign(community=measures["community"] + 1).head(top_n).round(3), empty="No network: no pair of actors appears together often enough.")))
