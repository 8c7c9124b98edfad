"""The project's exceptions: one root, a few kinds, messages that say what to do.

Every error a user can meet derives from :class:`MediaworkError`; the command line
catches it and prints its message (never a traceback) before exiting.
"""


class MediaworkError(Exception):
    """Root of every error mediawork raises on purpose."""


class InputError(MediaworkError):
    """A raw input cannot be used; the message is the rejection reason.

    Readers and cleaners raise it; ingest records the message in the manifest's
    ``reason`` column and goes on with the next input.
    """


class ParameterError(MediaworkError):
    """A command-line option or notebook parameter has a wrong name, type or value."""


class DataError(MediaworkError):
    """A processed table is missing or does not have the expected columns."""


class ReportError(MediaworkError):
    """A notebook failed while a report was being rendered."""


class LockError(MediaworkError):
    """Another mediawork run holds the lock on the same data folder."""
