"""Scenarios: the TOML text of a scenario, where it came from and the overrides applied to it.

A :class:`Scenario` is validated when it is made, and immutable: ``set`` and ``with_overrides`` return
a new one. It keeps the text rather than a parsed model, and every run loads it again in C++ with the
overrides, so an override is checked exactly like ``faultline run --set KEY=VALUE`` checks it, and a
bad one is reported against the file ``"<--set>"``. What it holds is readable as objects and
DataFrames (``sc.services``, ``sc.dependency("catalog", "db").timeout``: see scenario_model.py), and
``ScenarioBuilder`` or ``Scenario.from_dict`` make one without TOML text.
"""

import functools
import json
import math
import numbers
import os
import warnings as _warnings

from . import _faultline
from ._faultline import Diagnostic
from .errors import ScenarioError, ScenarioFileNotFoundError, ScenarioWarning
from .scenario_model import ENTRY_KINDS, Entry, address, entries_frame, entry_name, tables_to_toml

__all__ = ["Scenario", "load", "load_text", "demo_scenario", "DEMO_SCENARIO"]

DEMO_SCENARIO = "spotify-2022-03-08.toml"
"""File name of the bundled reference outage, as ``faultline demo`` runs it."""


class Scenario:
    """A validated scenario. Make one with :func:`load`, :func:`load_text` or :func:`demo_scenario`."""

    __slots__ = ("_text", "_origin", "_overrides", "_info", "__dict__")  # __dict__: cached tables

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

    # --- what it holds, as objects ------------------------------------------------------------------
    @functools.cached_property
    def _tables_json(self):
        return _faultline.scenario_tables(self._text, self._origin, list(self._overrides))

    @property
    def tables(self):
        """Every section and array of tables, with the overrides applied and every key the schema
        declares (its default when the file does not give it; None when the default is computed or a
        table's presence switches something on), durations in seconds. A fresh copy each time."""
        return json.loads(self._tables_json)

    def _entries(self, kind):
        return self.tables[kind]

    def _entry(self, kind, wanted):
        entries = self._entries(kind)
        for i, table in enumerate(entries):
            if entry_name(kind, table, i) == wanted:
                return Entry(self, address(kind, entries, i), table)
        known = [entry_name(kind, t, i) for i, t in enumerate(entries)]
        raise KeyError(f"no {kind} named {wanted!r}; known: {', '.join(n for n in known if n) or '(none)'}")

    def service(self, name):
        """The service ``name`` as an :class:`Entry`: ``sc.service("db").replicas``."""
        return self._entry("service", name)

    def dependency(self, caller, callee=None):
        """The dependency from ``caller`` to ``callee`` (or ``"caller->callee"``): ``.timeout`` in seconds."""
        return self._entry("dependency", caller if callee is None else f"{caller}->{callee}")

    def zone(self, name):
        return self._entry("zone", name)

    def feature(self, name):
        return self._entry("feature", name)

    def fault(self, name):
        """The fault ``name``: ``sc.fault("cp-outage").at`` (seconds)."""
        return self._entry("fault", name)

    def monitor(self, name):
        return self._entry("monitor", name)

    def action(self, name):
        return self._entry("action", name)

    def section(self, name):
        """A section (``traffic``, ``client``, ``network``, ``incident``, ``scenario``, ...) as an Entry:
        ``sc.section("traffic").rate``."""
        tables = self.tables
        if not isinstance(tables.get(name), dict):
            sections = [k for k, v in tables.items() if isinstance(v, dict)]
            raise KeyError(f"no section {name!r}; sections: {', '.join(sections)}")
        return Entry(self, name, tables[name])

    def get(self, key):
        """The value at an override path, as ``set`` takes it: ``sc.get("service.db.replicas")``,
        ``sc.get("dependency.catalog->db.timeout")`` (seconds), ``sc.get("fault[0].at")``."""
        return _lookup(self.tables, key)

    @property
    def zones(self):
        """A DataFrame of the zones, a row each (indexed by name), a column per key."""
        return entries_frame("zone", self._entries("zone"))

    @property
    def services(self):
        """A DataFrame of the services, a row each (indexed by name), a column per schema key, durations
        in seconds; nested tables (service_time, failover, ...) are dicts in their cells."""
        return entries_frame("service", self._entries("service"))

    @property
    def dependencies(self):
        """A DataFrame of the dependencies, indexed by ``from->to``."""
        return entries_frame("dependency", self._entries("dependency"))

    @property
    def features(self):
        return entries_frame("feature", self._entries("feature"))

    @property
    def faults(self):
        return entries_frame("fault", self._entries("fault"))

    @property
    def monitors(self):
        return entries_frame("monitor", self._entries("monitor"))

    @property
    def actions(self):
        return entries_frame("action", self._entries("action"))

    @staticmethod
    def from_dict(tables, origin="<dict>"):
        """A scenario from a dict shaped like the file: sections as dicts, arrays of tables as lists of
        dicts (``{"scenario": {...}, "service": [{...}, ...]}``); values as in the file, durations as
        strings with a unit. Validated like :func:`load_text` (its text is ``Scenario.text``)."""
        return load_text(tables_to_toml(tables), origin)

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


def _lookup(tables, key):
    """The value at an override path in a scenario's tables (KeyError naming what is there otherwise)."""
    import re

    here, walked, parts = tables, "", key.split(".")
    i = 0
    while i < len(parts):
        part = parts[i]
        indexed = re.fullmatch(r"(.+)\[(\d+)\]", part)
        name = indexed.group(1) if indexed else part
        if not isinstance(here, dict) or name not in here:
            known = ", ".join(here) if isinstance(here, dict) else "(not a table)"
            raise KeyError(f"{key}: no {name!r} in {walked or 'the scenario'}; there: {known}")
        here, walked = here[name], f"{walked}.{name}" if walked else name
        i += 1
        if isinstance(here, list) and (indexed or i < len(parts)):
            if indexed:
                index = int(indexed.group(2))
                if index >= len(here):
                    raise KeyError(f"{key}: {walked} has {len(here)} entries")
                here = here[index]
                continue
            # An entry by name; names may hold dots, so the longest name that matches wins.
            for j in range(len(parts), i, -1):
                wanted = ".".join(parts[i:j])
                match = [t for n, t in enumerate(here) if isinstance(t, dict) and entry_name(name, t, n) == wanted]
                if len(match) == 1:
                    here, i = match[0], j
                    break
            else:
                raise KeyError(f"{key}: no {name} named {parts[i]!r}")
    return here


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
