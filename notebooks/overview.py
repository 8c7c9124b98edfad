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
data_dir: str = "../data/processed"  # folder holding articles.parquet, manifest.parquet and removed.parquet
date_from: str = ""  # first publication day to include (inclusive, ISO date such as 2025-03-01); empty means no lower bound
date_to: str = ""  # last publication day to include (inclusive, ISO date); empty means no upper bound
sources: str = ""  # comma-separated sources or outlets to include such as hindustantimes.com,WSJ; empty means all
title: str = "Coverage overview"  # heading of the report

# %%
import html

from IPython.display import HTML, display

from mediawork import overview, plots, reports, store

# %%
display(HTML(reports.report_header(title, data_dir=data_dir, parameters={"date_from": date_from, "date_to": date_to, "sources": sources, "title": title})))

# %% [markdown]
# The table above records how this report was made: the parameters it ran with, a
# **data fingerprint** (a hash of `manifest.parquet`, so two reports with the same
# fingerprint were computed from exactly the same ingested inputs), the versions of
# mediawork, pandas and NLTK, and when it ran (UTC).
#
# ## The selection
#
# Everything below up to *Cleaning* counts unique articles only (near and exact
# duplicates are set aside) within the date range and sources chosen above.

# %%
articles, message = overview.read_selection(data_dir, date_from=date_from, date_to=date_to, sources=sources, columns=overview.METADATA_COLUMNS)
everything = store.read_articles(data_dir, unique=False, columns=["article_id", "source", "title", "duplicate_of"])
display(HTML(f"<p><strong>{html.escape(message)}</strong></p>"))

# %% [markdown]
# ## Articles by source
#
# Each bar is one source (the site or database an article was taken from), with the
# number of unique articles it contributed written at the end of the bar. A corpus
# dominated by one or two long bars will mostly reflect those outlets' coverage.

# %%
by_source = overview.counts_by_source(articles)
ax_source = plots.plot_counts_by_source(by_source)

# %% [markdown]
# ## Articles per day
#
# Each bar is one calendar day in UTC. Days inside the range with no articles are
# shown as gaps at zero: a sudden gap usually means a collection problem, a sudden
# peak a major event. Articles without a publication date are not counted here.

# %%
by_day = overview.counts_by_day(articles)
ax_day = plots.plot_counts_by_day(by_day)

# %% [markdown]
# ## Cleaning
#
# This section covers **everything in the data folder**, whatever the selection above:
# what happened to each raw input, which lines cleaning removed and why, which
# articles were set aside as duplicates, and which inputs could not be used.
#
# ### Summary

# %%
stats = overview.cleaning_stats(store.read_table("manifest", data_dir, missing_ok=True), store.read_table("removed", data_dir, columns=["article_id", "rule"], missing_ok=True), everything)
display(HTML(overview.html_table(stats.totals)))

# %% [markdown]
# ### Inputs by status
#
# `ok`: the input became an article (or is an archive that was read); `duplicate`: kept
# but marked as a copy of an earlier article; `rejected`: not usable (reasons below);
# `unchanged`: already ingested by an earlier run and not read again.

# %%
display(HTML(overview.html_table(stats.by_status)))

# %% [markdown]
# ### Lines removed by rule
#
# Lines cleaning dropped from the text dumps. `rule:` lines are generic clutter
# (advertisements, subscription prompts, share buttons); `metadata:` lines were taken
# as a field such as the title, date or byline; `learned:` lines are boilerplate that
# recurs across many articles of one source. `articles` counts the articles affected.

# %%
display(HTML(overview.html_table(stats.removed_by_rule, empty="No lines were removed.")))

# %% [markdown]
# ### Duplicates
#
# Articles whose body is the same as, or nearly the same as, an earlier article
# (syndicated copies, re-posts). They are excluded from every count above.

# %%
display(HTML(overview.html_table(stats.duplicates, empty="No duplicates.")))

# %% [markdown]
# ### Rejected inputs
#
# Inputs that gave no article, with the reason ingest recorded.

# %%
display(HTML(overview.html_table(stats.rejected, empty="No input was rejected.")))

# %% [markdown]
# ## Articles
#
# The selected articles in order of publication (UTC), at most 1,000 rows; `words` is
# the length of the cleaned body.

# %%
display(HTML(overview.html_table(overview.article_table(articles, limit=1000), empty="No articles in this selection.")))
