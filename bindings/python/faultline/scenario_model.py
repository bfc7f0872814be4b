"""A scenario as objects: its services, dependencies, features, faults, monitors and actions, each key
with its value as written or its default, and a builder that makes a scenario without TOML text.

The keys, their defaults and their units come from the schema table the loader checks files against
(``faultline schema``, scenarios/SCHEMA.md), read through the C++ extension: durations are in
seconds, and a key the file does not give has its documented default (None when the default is
computed from other keys, or when a table's presence switches something on). Scenarios are
immutable, so an entry is a view: ``entry.set(key, value)`` returns a new Scenario, made with the
override ``<kind>.<name>.<key>`` that ``faultline run --set`` takes too.
"""

import json

__all__ = ["Entry", "ScenarioBuilder", "ENTRY_KINDS"]

# The arrays of tables a scenario has entries in (the scenario's attribute, the TOML array, the
# key that names an entry); a dependency is named "<from>-><to>".
ENTRY_KINDS = {
    "zones": ("zone", "name"),
    "services": ("service", "name"),
    "dependencies": ("dependency", None),
    "features": ("feature", "name"),
    "faults": ("fault", "name"),
    "monitors": ("monitor", "name"),
    "actions": ("action", "name"),
    "expectations": ("expect", None),
}


def entry_name(kind, table, index):
    """What an entry is called in a key path: its name, ``from->to`` for a dependency, or ``[i]``."""
    if kind == "dependency":
        return f"{table['from']}->{table['to']}"
    name = table.get("name")
    return name if name else None


def address(kind, entries, index):
    """The override path of entry ``index`` of ``kind``: ``service.db``, ``dependency.a->b``, or
    ``fault[3]`` when it has no name or shares it with another."""
    name = entry_name(kind, entries[index], index)
    if name is not None and sum(1 for i, t in enumerate(entries) if entry_name(kind, t, i) == name) == 1:
        return f"{kind}.{name}"
    return f"{kind}[{index}]"


class Entry:
    """One entry of a scenario (a service, a dependency, a fault, ...) or one of its sections
    (``traffic``, ``client``, ...): every key the schema gives it, as attributes and items.

    ``sc.service("db").replicas``, ``sc.dependency("catalog", "db")["timeout"]`` (seconds). Read-only:
    ``sc = sc.service("db").set("replicas", 3)`` makes the changed scenario.
    """

    __slots__ = ("_scenario", "_path", "_values")

    def __init__(self, scenario, path, values):
        object.__setattr__(self, "_scenario", scenario)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_values", values)

    @property
    def path(self):
        """Its override path: ``service.db``, ``dependency.catalog->db``, ``traffic``."""
        return self._path

    def keys(self):
        return list(self._values)

    def to_dict(self):
        """Its keys and values (a copy)."""
        return json.loads(json.dumps(self._values))

    def __getitem__(self, key):
        try:
            return self._values[key]
        except KeyError:
            raise KeyError(f"{self._path} has no key {key!r}; its keys: {', '.join(self._values)}") from None

    def __getattr__(self, key):
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"{self._path} has no key {key!r}; its keys: {', '.join(self._values)}") from None

    def __setattr__(self, key, value):
        raise AttributeError(
            f"a Scenario is immutable: make the changed one with sc = entry.set({key!r}, {value!r}), which is "
            f"sc = sc.set({self._path + '.' + key!r}, {value!r})")

    def __contains__(self, key):
        return key in self._values

    def __eq__(self, other):
        return isinstance(other, Entry) and (self._path, self._values) == (other._path, other._values)

    def __hash__(self):
        return hash(self._path)

    def set(self, key, value):
        """The scenario with this entry's ``key`` set to ``value`` (as ``faultline run --set``)."""
        return self._scenario.set(f"{self._path}.{key}", value)

    def __repr__(self):
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v not in (None, [], {}))
        return f"<{self._path}: {shown}>"


def entries_frame(kind, entries):
    """A DataFrame of entries, a row each in file order, indexed by name (``from->to`` for a
    dependency), a column per schema key."""
    import pandas as pd

    rows = [dict(t) for t in entries]
    frame = pd.DataFrame(rows)
    if kind == "dependency":
        frame.index = pd.Index([entry_name(kind, t, i) for i, t in enumerate(entries)], name="dependency")
    elif rows and "name" in frame.columns:
        frame = frame.set_index("name")
    return frame


# --- building a scenario in Python ----------------------------------------------------------------


class ScenarioBuilder:
    """A scenario built in Python, without writing TOML:

        b = faultline.ScenarioBuilder("api", duration="1h", seed=7)
        b.zone("zone-a", region="eu", hosts=2)
        b.service("api", replicas=3, service_time={"dist": "exponential", "mean": "8ms"})
        b.dependency("api", "db", timeout="1s")
        b.feature("play", entry="api", slo=0.995)
        b.section("traffic", rate=30)
        b.fault("crash", kind="host_crash", target="api", mode="one", at="10m", duration="8m")
        sc = b.build()

    Keys and values are those of the scenario file (scenarios/SCHEMA.md), durations as strings with a
    unit ("250ms"). A key that is a Python keyword takes a trailing underscore (``for_="1m"`` on a
    monitor). Each method returns the builder, so calls chain; ``build()`` validates, and a mistake
    raises ScenarioError pointing at the key (``service.api.workers``) in the text it made
    (``Scenario.text``).
    """

    def __init__(self, name, *, duration, origin="<builder>", **scenario):
        self._origin = origin
        self._sections = {"scenario": {"name": name, "duration": duration, **_keys(scenario)}}
        self._arrays = {}

    def section(self, name, **keys):
        """Sets keys of a section (``traffic``, ``client``, ``network``, ``incident``, ``scenario``);
        a dotted name is a section in a section (``incident.user_reports``)."""
        self._sections.setdefault(name, {}).update(_keys(keys))
        return self

    def add(self, array, /, **keys):
        """Adds an entry to an array of tables: ``add("service", name="db", replicas=2)``."""
        self._arrays.setdefault(array, []).append(_keys(keys))
        return self

    def zone(self, name, **keys):
        return self.add("zone", name=name, **keys)

    def service(self, name, **keys):
        return self.add("service", name=name, **keys)

    def dependency(self, caller, callee, **keys):
        return self.add("dependency", **{"from": caller, "to": callee}, **keys)

    def feature(self, name, **keys):
        return self.add("feature", name=name, **keys)

    def fault(self, name, **keys):
        return self.add("fault", name=name, **keys)

    def monitor(self, name, **keys):
        return self.add("monitor", name=name, **keys)

    def action(self, name, **keys):
        return self.add("action", name=name, **keys)

    def expect(self, metric, **keys):
        return self.add("expect", metric=metric, **keys)

    def text(self):
        """The scenario file it makes."""
        return tables_to_toml({**self._sections, **self._arrays})

    def build(self):
        """The scenario, validated (ScenarioError otherwise, its warnings as ScenarioWarning)."""
        from .scenario import load_text

        return load_text(self.text(), self._origin)


def _keys(keys):
    """Keyword arguments as scenario keys: a trailing underscore dropped (``for_`` -> ``for``)."""
    return {k[:-1] if k.endswith("_") else k: v for k, v in keys.items()}


def tables_to_toml(tables):
    """TOML text for a dict of sections (dicts) and arrays of tables (lists of dicts); values nested
    deeper are written inline. ``schema_version = 1`` first unless given."""
    from .scenario import _toml_key, _toml_value

    lines = [f"schema_version = {_toml_value(tables.get('schema_version', 1))}"]
    for name, value in tables.items():
        if name == "schema_version":
            continue
        if isinstance(value, dict):
            lines += ["", f"[{name}]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()]
        elif isinstance(value, (list, tuple)) and all(isinstance(t, dict) for t in value):
            for table in value:
                lines += ["", f"[[{name}]]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
        else:
            lines.insert(1, f"{_toml_key(name)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"
