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
data_dir: str = "../data/processed"  # folder holding articles.parquet and the tables of `mediawork analyze` (terms.parquet, sentences.parquet)
date_from: str = ""  # first publication day to include (inclusive, ISO date such as 2025-03-01); empty means no lower bound
date_to: str = ""  # last publication day to include (inclusive, ISO date); empty means no upper bound
sources: str = ""  # comma-separated sources or outlets to include such as hindustantimes.com,WSJ; empty means all
top_n: int = 20  # how many terms the frequency chart and tables show
min_count: int = 2  # a collocation, or a term compared by keyness, needs at least this many occurrences
group_a: str = ""  # first group for keyness: a day condition such as date<2025-03-18, a day range date:2025-03-01..2025-03-17, or comma-separated sources; empty means the rest of the selection
group_b: str = ""  # second group for keyness, written as group_a; with both empty the selection is split at its middle publication day
title: str = "Term frequency"  # heading of the report

# %%
import html

from IPython.display import HTML, display

from mediawork import figures, overview, profile, reports, store, terms

# %%
display(HTML(reports.report_header(title, data_dir=data_dir, parameters={"date_from": date_from, "date_to": date_to, "sources": sources, "top_n": top_n, "min_count": min_count, "group_a": group_a, "group_b": group_b, "title": title})))

# %% [markdown]
# The table above records how this report was made: its parameters, a **data
# fingerprint** (equal fingerprints mean the same ingested inputs), software versions
# and the time it ran.
#
# **Terms** are words and phrases of the article bodies, lower-cased. A single word
# counts only when it is not a *stopword* (a function word such as *the*, *of*,
# *would*); a phrase of two or three words must start and end with such a content
# word (*secretary of state* counts). Relative frequencies are given **per 10,000
# content words** so that groups of different sizes can be compared.
#
# ## The selection

# %%
articles, message = overview.read_selection(data_dir, date_from=date_from, date_to=date_to, sources=sources, columns=overview.METADATA_COLUMNS)
term_rows = store.read_for_articles("terms", data_dir, articles)
sentences = store.read_for_articles("sentences", data_dir, articles)
gap = profile.analysis_gap(articles, {"terms.parquet": term_rows, "sentences.parquet": sentences}, data_dir=data_dir)
display(HTML(f"<p><strong>{html.escape(message)}</strong></p><p>{html.escape(gap)}</p>"))

# %% [markdown]
# ## Most frequent words
#
# Each bar is one word, with its number of occurrences in the selected articles.
# Frequent words show what the coverage is about; reporting verbs such as *said*
# are usually near the top of any news corpus.

# %%
frequency = terms.term_frequency(term_rows)
words = frequency[frequency["n"] == 1]
ax_top = figures.plot_top_terms(words, top=top_n)

# %% [markdown]
# ### Most frequent phrases
#
# Two- and three-word terms. `docs` is the number of articles using the phrase;
# `per_10k` its occurrences per 10,000 content words.

# %%
phrases = frequency[frequency["n"] > 1].head(top_n)
display(HTML(overview.html_table(phrases[["term", "n", "count", "docs", "per_10k"]].round(1), empty="No phrases in this selection.")))

# %% [markdown]
# ## Keyness: what distinguishes two groups of articles
#
# Keyness compares how often each word occurs in **group A** and in **group B**
# (parameters `group_a` and `group_b`). A group is written as:
#
# - `date<2025-03-18`, `date<=2025-03-18`, `date>2025-03-18`, `date>=2025-03-18` or
#   `date:2025-03-18`: articles by publication day (UTC);
# - `date:2025-03-01..2025-03-17`: a range of days, both ends included;
# - `reuters.com,hindustantimes.com`: one or more sources or outlets, comma-separated.
#
# An empty group is the rest of the selection; with both empty the selection is split
# at its middle publication day. Articles that fall in both groups are left out.
#
# The bars show the **signed G²** (log-likelihood) statistic: how surprising the
# difference in frequency is given the groups' sizes. Bars to the right are words
# used more in group A, bars to the left words used more in group B. G² above 3.84
# corresponds to p < 0.05, above 10.83 to p < 0.001 (for one word; with hundreds of
# words compared, expect some large values by chance). The label on each bar is the
# **log ratio**, the effect size: +1 means twice as frequent in A, +2 four times,
# -1 twice as frequent in B. Only words seen at least `min_count` times are compared.

# %%
split = profile.split_groups(articles, group_a, group_b)
display(HTML(f"<p><strong>{html.escape(split.message)}</strong></p>"))
key = profile.compare_groups(term_rows, split, min_count=min_count)
ax_keyness = figures.plot_keyness(key, top=min(top_n, 15), labels=(split.a_label, split.b_label))

# %%
display(HTML(overview.html_table(key[key["g2"] > 0].head(top_n).round(4), caption=f"Typical of group A ({split.a_label})", empty="No words to compare.")))
display(HTML(overview.html_table(key[key["g2"] < 0].iloc[::-1].head(top_n).round(4), caption=f"Typical of group B ({split.b_label})", empty="No words to compare.")))

# %% [markdown]
# ## Trends over time
#
# How often the six most frequent words occur each week (weeks start on Monday,
# UTC), per 10,000 content words of that week's articles. A rise means the word
# takes a larger share of the coverage, whatever the number of articles.

# %%
trends = terms.term_trends(term_rows, articles, terms_of_interest=words["term"].head(6).tolist(), freq="W")
ax_trends = figures.plot_term_trends(trends)

# %% [markdown]
# ## Collocations
#
# Word pairs that occur together far more often than their separate frequencies
# would predict, ranked by the log-likelihood ratio (`score`): names (*white house*),
# titles and fixed expressions rise to the top. Pairs seen fewer than `min_count`
# times are left out.

# %%
pairs = terms.collocations(sentences, n=2, measure="likelihood_ratio", min_count=min_count, top=top_n)
display(HTML(overview.html_table(pairs.round(1), empty="No word pair occurs often enough in this selection.")))

# %% [markdown]
# ## Keywords in context
#
# The first lines (in order of publication) where the five most frequent words occur,
# with six words of context either side, to check how each word is used.

# %%
lines = profile.kwic_examples(sentences, words["term"].head(5).tolist(), articles=articles, per_word=3, window=6)
display(HTML(overview.html_table(lines, empty="No words to show in context.")))
