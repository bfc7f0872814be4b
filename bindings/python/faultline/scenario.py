"""Scenarios: the TOML text of a scenario, where it came from and the overrides applied to it.

A :class:`Scenario` is validated when it is made, and immutable: ``set`` and ``with_overrides`` return
a new one. It keeps the text rather than a parsed model, and every run loads it again in C++ with the
overrides, so an override is checked exactly like ``faultline run --set KEY=VALUE`` checks it, and a
bad one is reported against the file ``"<--set>"``.
"""

import json
import math
import numbers
import os
import warnings as _warnings

from . import _faultline
from ._faultline import Diagnostic
from .errors import ScenarioError, ScenarioFileNotFoundError, ScenarioWarning

__all__ = ["Scenario", "load", "load_text", "demo_scenario", "DEMO_SCENARIO"]

DEMO_SCENARIO = "spotify-2022-03-08.toml"
"""File name of the bundled reference outage, as ``faultline demo`` runs it."""


class Scenario:
    """A validated scenario. Make one with :func:`load`, :func:`load_text` or :func:`demo_scenario`."""

    __slots__ = ("_text", "_origin", "_overrides", "_info")

    def __init__(self, text, origin, overrides=()):
        if isinstance(text, str):
            text = text.encode("utf-8")
        self._text = bytes(text)
        self._origin = os.fspath(origin)
        self._overrides = tuple((key, value) for key, value in overrides)
        # Raises ScenarioError: a Scenario that exists is one that loads.
        self._info = _faultline.describe_scenario(self._text, self._origin, list(self._overrides))

    # --- what it is ---------------------------------------------------------------------------------
    @property
    def name(self):
        """``scenario.name``."""
        return self._info["name"]

    @property
    def description(self):
        """``scenario.description``, shown at the head of reports."""
        return self._info["description"]

    @property
    def warnings(self):
        """What ``faultline validate`` warns about in it (with the overrides applied): a list of
        :class:`faultline.Diagnostic` with ``warning`` True, in file order; empty when none."""
        return list(self._info["warnings"])

    @property
    def duration(self):
        """Simulated time of a run, in seconds."""
        return self._info["duration"]

    @property
    def seed(self):
        """``scenario.seed``: the seed a run uses unless given another."""
        return self._info["seed"]

    @property
    def bucket(self):
        """Timeline resolution, in seconds."""
        return self._info["bucket"]

    @property
    def origin(self):
        """The path it was loaded from (as given), or ``<embedded>/NAME`` for a bundled scenario."""
        return self._origin

    @property
    def text(self):
        """The TOML text, before overrides."""
        return self._text.decode("utf-8", errors="replace")

    @property
    def overrides(self):
        """The overrides applied, ``{key: value text}``, as the report's provenance records them."""
        return dict(self._info["overrides"])

    # --- new scenarios from this one ----------------------------------------------------------------
    def set(self, key, value):
        """A copy with one value changed; KEY as in ``faultline run --set KEY=VALUE``.

        ``sc.set("service.auth.replicas", 3)``, ``sc.set("dependency[2].timeout", "2s")``. Python
        values become TOML values (bool, int, float, str, lists and dicts of them); a str is read as
        a TOML value when it is one (``"3"``, ``"true"``) and as a string otherwise (``"30m"``), exactly
        as on the command line. Raises ScenarioError (file ``"<--set>"``) when the result is invalid.
        """
        return self.with_overrides([(key, value)])

    def with_overrides(self, overrides):
        """A copy with several values changed, from a mapping or (key, value) pairs, applied in order."""
        pairs = overrides.items() if hasattr(overrides, "items") else overrides
        added = []
        for key, value in pairs:
            if not isinstance(key, str):
                raise TypeError(f"an override key is a str like 'traffic.rate', not {type(key).__name__}")
            added.append((key, _override_text(value)))
        return Scenario(self._text, self._origin, self._overrides + tuple(added))

    # --- what the C++ side needs to load it again ---------------------------------------------------
    def _load_arguments(self):
        return self._text, self._origin, list(self._overrides)

    def __eq__(self, other):
        if not isinstance(other, Scenario):
            return NotImplemented
        return (self._text, self._origin, self._overrides) == (other._text, other._origin, other._overrides)

    def __hash__(self):
        return hash((self._text, self._origin, self._overrides))

    def __reduce__(self):
        return (Scenario, (self._text, self._origin, self._overrides))

    def __repr__(self):
        changed = f", overrides={self.overrides!r}" if self._overrides else ""
        return f"<Scenario {self.name!r} from {self._origin}{changed}>"


def load(path):
    """Load and validate a scenario file; raises ScenarioError pointing at every mistake in it
    (:class:`faultline.ScenarioFileNotFoundError`, also a ``FileNotFoundError``, when there is no such
    file), and issues its warnings as :class:`faultline.ScenarioWarning`."""
    origin = os.fspath(path)
    try:
        with open(origin, "rb") as file:
            text = file.read()
    except OSError as error:
        # Worded as the C++ loader words it, so Python and the CLI report an unreadable file alike.
        diagnostic = Diagnostic(origin, 0, 0, "", f"cannot read file: {error.strerror}")
        if isinstance(error, FileNotFoundError):
            raise ScenarioFileNotFoundError(str(diagnostic), [diagnostic], origin) from None
        raise ScenarioError(str(diagnostic), [diagnostic]) from None
    return _warned(Scenario(text, origin))


def load_text(text, origin="<text>"):
    """Load and validate a scenario from its TOML text (str or bytes); ``origin`` names it in errors.
    Its warnings, if any, are issued as :class:`faultline.ScenarioWarning`."""
    return _warned(Scenario(text, origin))


def _warned(scenario):
    for diagnostic in scenario.warnings:
        _warnings.warn(str(diagnostic), ScenarioWarning, stacklevel=3)
    return scenario


def demo_scenario():
    """The bundled reference outage, the scenario ``faultline demo`` runs."""
    bundled = _faultline.embedded_scenarios()
    return Scenario(bundled[DEMO_SCENARIO], f"<embedded>/{DEMO_SCENARIO}")


# --- Python values as --set VALUE text ------------------------------------------------------------


def _override_text(value):
    """The --set VALUE text for a Python value.

    A top-level str goes through untouched, so ``set(key, "30m")`` means what ``--set key=30m`` means.
    Inside lists and tables strings are quoted: there TOML has no bare strings.
    """
    if isinstance(value, str):
        return value
    return _toml_value(value)


def _toml_value(value):
    if isinstance(value, bool):  # before Integral: bool is an int
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):  # also numpy integers
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        # JSON's string escapes are all valid TOML basic-string escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(
        f"cannot use a {type(value).__name__} as a scenario value: use bool, int, float, str, "
        "or lists and dicts of them"
    )


def _toml_key(key):
    if not isinstance(key, str):
        raise TypeError(f"a table key is a str, not {type(key).__name__}")
    if key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key):
        return key
    return json.dumps(key, ensure_ascii=False)
