"""mediawork: load raw news dumps, clean them into tidy tables, analyse and report.

The package is a set of small modules, one job each (see ``docs/architecture.md``).
"""

__version__ = "0.1.0"
