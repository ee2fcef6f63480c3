"""The one exception the command line turns into a clear message and a non-zero exit."""


class DojoError(Exception):
    """A problem the user can fix: the message says what happened and what to do."""
