"""The two ways a faultline call fails.

A mistake in the user's scenario is a :class:`ScenarioError` (a ``ValueError``) that points into the
file; anything else that stops a run (a simulation child that crashed, a faultline bug) is a
:class:`SimulationError`. The C++ extension raises these very classes.
"""

__all__ = ["ScenarioError", "ScenarioFileNotFoundError", "ScenarioWarning", "SimulationError"]


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with every mistake found in it.

    ``diagnostics`` lists them all (each a :class:`faultline.Diagnostic` with ``file``, ``line``,
    ``column``, ``key`` and ``message``; line and column are 0 for a value set by an override, whose
    file is ``"<--set>"``). ``file``, ``line``, ``column``, ``key`` and ``message`` on the error itself
    are those of the first diagnostic. ``str(error)`` is every diagnostic formatted like the CLI's
    ``file:line:col: error: key: message``, one per line.
    """

    def __init__(self, text, diagnostics=()):
        super().__init__(text)
        self.diagnostics = list(diagnostics)

    # The default pickling would call __init__ with the text alone and lose the diagnostics (an error
    # raised in a worker process travels back pickled).
    def __reduce__(self):
        return (type(self), (str(self), self.diagnostics))

    def _first(self, field):
        return getattr(self.diagnostics[0], field) if self.diagnostics else None

    @property
    def file(self):
        return self._first("file")

    @property
    def line(self):
        return self._first("line")

    @property
    def column(self):
        return self._first("column")

    @property
    def key(self):
        return self._first("key")

    @property
    def message(self):
        return self._first("message")


class SimulationError(RuntimeError):
    """A run that did not produce a report: the simulation child died or faultline hit a bug."""


# Shown and pickled under the name users import them by.
ScenarioError.__module__ = SimulationError.__module__ = "faultline"


class ScenarioFileNotFoundError(ScenarioError, FileNotFoundError):
    """:func:`faultline.load` of a file that does not exist: a ``FileNotFoundError`` (``errno``,
    ``filename``), and still a :class:`ScenarioError` with its one diagnostic, as it always was."""

    def __init__(self, text, diagnostics=(), filename=None):
        ScenarioError.__init__(self, text, diagnostics)
        import errno

        self.errno, self.strerror, self.filename = errno.ENOENT, "No such file or directory", filename

    def __str__(self):
        return self.args[0]

    def __reduce__(self):
        return (type(self), (str(self), self.diagnostics, self.filename))


class ScenarioWarning(UserWarning):
    """A scenario that loads but likely does not do what was meant (``faultline validate`` prints the
    same warnings): an availability threshold outside [0, 1], a monitor or an action that cannot act
    within the run, a monitoring pipeline that needs the service it watches. Issued by
    :func:`faultline.load` and :func:`faultline.load_text`; :attr:`Scenario.warnings` lists them."""
