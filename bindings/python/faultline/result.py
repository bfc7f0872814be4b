"""What one run produced, as Python data: the report dict and pandas views of its parts.

Everything here is read from the report JSON the engine wrote (the very text ``faultline run
--format json`` prints), so the CLI and Python never disagree. The layout is documented in the C++
headers engine/report/report.hpp and engine/report/json.hpp.
"""

import functools
import html
import json

__all__ = ["Result"]

# Incident stages in the order they happen (PRODUCT.md: incident timeline).
INCIDENT_STAGES = ("impact_start", "detected", "acknowledged", "diagnosed", "mitigated", "recovered")
# Durations measured from impact_start.
INCIDENT_DURATIONS = ("ttd", "tta", "ttm", "ttr")
# The spans the TTR splits into, in order (incident["stages"]); each ends at the stage it is named after.
TTR_STAGES = ("detection", "acknowledgement", "diagnosis", "mitigation", "recovery")

_TIMELINE_COLUMNS = ["t_start", "t_end", "kind", "name", "requests", "ok", "degraded", "failed", "availability",
                     "ejected", "circuit_open", "replicas", "p50", "p99", "p50_all", "p99_all", "queue", "served",
                     "throughput", "wasted", "wasted_work"]
# Per-bucket latency (seconds) in a feature's or service's report, by timeline column.
_LATENCY_COLUMNS = (("p50", "p50_by_bucket"), ("p99", "p99_by_bucket"), ("p50_all", "p50_all_by_bucket"),
                    ("p99_all", "p99_all_by_bucket"))
_STATUS_UPDATE_COLUMNS = ["time", "state", "message", "eta", "channel"]
_INCIDENT_COLUMNS = [*INCIDENT_STAGES, "ttr", "detected_by", "mitigated_by", *TTR_STAGES]
# Report sections with per-bucket counts, and the kind each gets in the timeline (as in timeline.csv).
_TIMELINE_SECTIONS = (("features", "feature"), ("segments", "segment"), ("regions", "region"), ("services", "service"))



def _bucket_counts(buckets):
    """A report's per-bucket counts (requests, ok, degraded, failed) as int64 arrays, and the
    availability per bucket (NaN in a bucket without requests)."""
    import numpy as np

    counts = {c: np.asarray(buckets[c], dtype=np.int64) for c in ("requests", "ok", "degraded", "failed")}
    with np.errstate(invalid="ignore", divide="ignore"):
        availability = np.where(counts["requests"] > 0, counts["ok"] / counts["requests"], np.nan)
    return counts, availability

def _floats(values, n):
    """A report's per-bucket numbers as n floats, None (JSON null) as NaN; all NaN when absent."""
    import numpy as np

    if values is None:
        return np.full(n, np.nan)
    out = np.full(n, np.nan)
    known = np.asarray([np.nan if v is None else v for v in values[:n]], dtype=float)
    out[:len(known)] = known
    return out


class Result:
    """One simulation run. Made by :func:`faultline.run`, or from a report the CLI wrote:
    ``Result(pathlib.Path("out/NAME/report.json").read_text())``."""

    def __init__(self, report_json):
        self._json = report_json
        self._report = json.loads(report_json)

    # --- plain data ---------------------------------------------------------------------------------
    @property
    def report(self):
        """The full report (report.json as a dict)."""
        return self._report

    def to_json(self):
        """The report.json text, byte for byte what the CLI writes for the same scenario and seed."""
        return self._json

    @property
    def seed(self):
        return self._report["provenance"]["seed"]

    @property
    def summary(self):
        """The report's summary plus ``feature.<name>.availability`` for every feature."""
        summary = dict(self._report["summary"])
        for feature in self._report["features"]:
            summary[f"feature.{feature['name']}.availability"] = feature["availability"]
        return summary

    @property
    def incident(self):
        """Incident stages and ttd/tta/ttm/ttr, in seconds; None for a stage that never happened. Also
        detected_by, acknowledged_via, diagnosed_note, mitigated_by, recovered_note, and ``stages``: the
        TTR split into detection, acknowledgement, diagnosis, mitigation and recovery spans (seconds,
        adding up to ttr; None for a stage skipped, out of order or not reached)."""
        incident = dict(self._report["incident"])
        if "stages" in incident:
            incident["stages"] = dict(incident["stages"])
        return incident

    def _bucket_spans(self, n):
        """The start and end (seconds) of the first n buckets; the last bucket ends with the run, which
        need not be a whole number of buckets."""
        import numpy as np

        duration, bucket = self._report["duration"], self._report["bucket"]
        t_start = np.arange(n, dtype=float) * bucket
        return t_start, np.minimum(t_start + bucket, np.maximum(duration, t_start))

    # --- tables -------------------------------------------------------------------------------------
    @functools.cached_property
    def timeline(self):
        """One row per bucket per series (feature, segment, region, service), as in timeline.csv.

        Columns: t_start, t_end (seconds), kind, name, requests, ok, degraded, failed, availability
        (NaN in a bucket without requests), and for services ejected (replicas ejected by outlier
        detection), circuit_open (calls to it refused by its callers' circuit breakers) and replicas
        (serving at the end of the bucket), as nullable integers (``Int64``), <NA> otherwise.

        For features and services, p50 and p99 are the latency (seconds) of the bucket's successful
        requests (degraded ones included), p50_all and p99_all of all of them, a failed one at the time
        its caller saw it fail; NaN where nothing was measured. For services, queue is the mean number
        of calls waiting in its replicas' queues over the bucket, served the calls its workers finished
        (``Int64``), throughput those per second, wasted the ones finished after their caller had given
        up (``Int64``) and wasted_work the worker-seconds they took.

        A scenario with sessions (a status mapped to ``logout``) adds sessions_lost: for a feature, the
        represented users its requests logged out in the bucket; NaN on other rows.
        """
        import numpy as np
        import pandas as pd

        parts = []
        sessions = self._report.get("users") is not None
        columns = _TIMELINE_COLUMNS + (["sessions_lost"] if sessions else [])
        for section, kind in _TIMELINE_SECTIONS:
            for series in self._report[section]:
                counts, availability = _bucket_counts(series["buckets"])
                n = len(counts["requests"])
                t_start, t_end = self._bucket_spans(n)
                ejected = np.full(n, np.nan)
                circuit_open = np.full(n, np.nan)
                replicas = np.full(n, np.nan)
                if kind == "service":
                    ejected = np.asarray(series.get("ejected_by_bucket", [0] * n), dtype=float)
                    circuit_open = np.zeros(n)
                    for edge in self._report["edges"]:
                        if edge["to"] == series["name"]:
                            circuit_open += np.asarray(edge.get("circuit_open_by_bucket", [0] * n), dtype=float)
                    # As in timeline.csv: unknown (no per-bucket count) stays NaN rather than 0 replicas.
                    known = np.asarray(series.get("replicas_by_bucket", [])[:n], dtype=float)
                    replicas[:len(known)] = known
                latency = {column: _floats(series.get(key), n) for column, key in _LATENCY_COLUMNS}
                work = {c: np.full(n, np.nan) for c in ("queue", "served", "throughput", "wasted", "wasted_work")}
                if kind == "service" and "served_by_bucket" in series:
                    work["queue"] = _floats(series["queue_by_bucket"], n)
                    work["served"] = _floats(series["served_by_bucket"], n)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        work["throughput"] = work["served"] / (t_end - t_start)
                    work["wasted"] = _floats(series["wasted_by_bucket"], n)
                    work["wasted_work"] = _floats(series["wasted_work_by_bucket"], n)
                if sessions:
                    work["sessions_lost"] = _floats(series.get("sessions_lost_by_bucket"), n)
                parts.append(pd.DataFrame({"t_start": t_start, "t_end": t_end, "kind": kind, "name": series["name"],
                                           **counts, "availability": availability, "ejected": ejected,
                                           "circuit_open": circuit_open, "replicas": replicas, **latency, **work}))
        if not parts:
            return pd.DataFrame({c: [] for c in columns})
        # Counts are whole numbers: pandas' nullable integers, <NA> where a column does not apply.
        return pd.concat(parts, ignore_index=True)[columns].astype(
            {"ejected": "Int64", "circuit_open": "Int64", "replicas": "Int64", "served": "Int64", "wasted": "Int64"})

    @functools.cached_property
    def unhealthy_spells(self):
        """Each stretch a service was unhealthy (PRODUCT.md's incident rule on its own calls): service,
        start, recovered (seconds from the start; NaN: not by the end) and ttr (NaN likewise)."""
        import pandas as pd

        rows = [{"service": s["name"], "start": sp["start"], "recovered": _number(sp["recovered"]),
                 "ttr": _number(None if sp["recovered"] is None else sp["recovered"] - sp["start"])}
                for s in self._report["services"] for sp in s.get("unhealthy_spells", [])]
        return pd.DataFrame(rows, columns=["service", "start", "recovered", "ttr"]).astype(
            {"start": float, "recovered": float, "ttr": float})

    @functools.cached_property
    def services(self):
        """One row per service, indexed by name: availability, counts, ``errors_<cause>`` for each cause,
        latency p50/p95/p99/latency_mean (seconds), time_unhealthy (seconds), unhealthy_spells (how many
        times it became unhealthy), ttr (the longest spell's time to recovery, seconds; NaN if never
        unhealthy or still unhealthy at the end: :meth:`unhealthy_spells` has each spell), uptime (share of the run with a replica serving), downtime (seconds with none serving), outages
        (times the last one stopped), restarts (process starts after the first) and crashes.
        """
        import pandas as pd

        rows = []
        for s in self._report["services"]:
            row = {"service": s["name"], "availability": s["availability"]}
            row.update({c: s[c] for c in ("requests", "ok", "degraded", "failed")})
            row.update({f"errors_{cause}": n for cause, n in s["errors"].items()})
            latency = s["latency"]
            row.update(p50=latency["p50"], p95=latency["p95"], p99=latency["p99"], latency_mean=latency["mean"])
            row.update(time_unhealthy=s["time_unhealthy"], unhealthy_spells=len(s.get("unhealthy_spells", [])),
                       ttr=_number(s["ttr"]))
            # Time-weighted from the replicas' states, whatever the traffic (availability studies).
            row.update(uptime=s.get("uptime", 1.0), downtime=s.get("downtime", 0.0), outages=s.get("outages", 0),
                       restarts=s.get("restarts", 0), crashes=s.get("crashes", 0))
            rows.append(row)
        return pd.DataFrame(rows, columns=None if rows else ["service"]).set_index("service")

    @functools.cached_property
    def features(self):
        """One row per user feature, indexed by name: slo, availability, counts, latency (seconds)."""
        import pandas as pd

        rows = []
        for f in self._report["features"]:
            latency = f["latency"]
            rows.append({"feature": f["name"], "slo": f["slo"], "availability": f["availability"],
                         **{c: f[c] for c in ("requests", "ok", "degraded", "failed")},
                         "p50": latency["p50"], "p95": latency["p95"], "p99": latency["p99"],
                         "latency_mean": latency["mean"]})
        return pd.DataFrame(rows, columns=None if rows else ["feature"]).set_index("feature")

    @functools.cached_property
    def resources(self):
        """One row per shared resource something loaded (``<host>.cpu``, ``<host>.disk``,
        ``<from>-><to>.pool``, ``<service>.threads``), indexed by name: kind, capacity (cpu: cores x
        speed; disk: MB/s; pool: connections over every caller replica; threads: per process),
        utilisation (share used over the run), peak_utilisation (of the busiest bucket), saturated_time
        (seconds with more demand than capacity, or at the limit) and limit_hits (calls or starts the
        limit turned away). Empty when the scenario models no resources."""
        import pandas as pd

        columns = ["kind", "capacity", "utilisation", "peak_utilisation", "saturated_time", "limit_hits"]
        rows = [{"resource": x["name"], **{c: x[c] for c in columns}} for x in self._report.get("resources", [])]
        return pd.DataFrame(rows, columns=["resource"] + columns).set_index("resource")

    @functools.cached_property
    def rollouts(self):
        """One row per gradual action (a switch_dependency in batches, an action with a gate), indexed
        by action: kind, unit (what its share counts: callers, replicas or users), steps (taken),
        started and finished (seconds from the start; NaN when it did not), paused_time (seconds its
        gate held a step) and reverted. Empty when the scenario has none."""
        import pandas as pd

        columns = ["kind", "unit", "steps", "started", "finished", "paused_time", "reverted"]
        rows = [{"action": x["action"], **{c: x[c] for c in columns},
                 "started": _number(x["started"]), "finished": _number(x["finished"])}
                for x in self._report.get("rollouts", [])]
        return pd.DataFrame(rows, columns=["action"] + columns).set_index("action").astype(
            {"started": float, "finished": float, "paused_time": float})

    @functools.cached_property
    def rollout_timeline(self):
        """One row per bucket per gradual action, as the rollout rows of timeline.csv: t_start, t_end
        (seconds), action and share_done (share of its callers switched, replicas restarted or users
        admitted at the bucket's end)."""
        import numpy as np
        import pandas as pd

        parts = []
        for x in self._report.get("rollouts", []):
            share = np.asarray(x["share_by_bucket"], dtype=float)
            t_start, t_end = self._bucket_spans(len(share))
            parts.append(pd.DataFrame({"t_start": t_start, "t_end": t_end, "action": x["action"], "share_done": share}))
        if not parts:
            return pd.DataFrame(columns=["t_start", "t_end", "action", "share_done"])
        return pd.concat(parts, ignore_index=True)

    @functools.cached_property
    def restores(self):
        """One row per restore action, indexed by action: fault (the data_loss it undoes), service (where
        the data was lost), tenants (hit), size (units to copy in all), lost_at, started and finished
        (seconds from the start; NaN when it did not), restore_time (finished - started), and the hit
        tenants' users' requests from the loss on: requests, ok, degraded, failed, availability. Empty
        when the scenario has no restore."""
        import pandas as pd

        columns = ["fault", "service", "tenants", "size", "lost_at", "started", "finished", "restore_time",
                   "requests", "ok", "degraded", "failed", "availability"]
        rows = []
        for x in self._report.get("restores", []):
            started, finished = _number(x["started"]), _number(x["finished"])
            rows.append({"action": x["action"], **{c: x[c] for c in ("fault", "service", "tenants", "size")},
                         "lost_at": _number(x["lost_at"]), "started": started, "finished": finished,
                         "restore_time": finished - started,
                         **{c: x[c] for c in ("requests", "ok", "degraded", "failed", "availability")}})
        return pd.DataFrame(rows, columns=["action"] + columns).set_index("action").astype(
            {"size": float, "lost_at": float, "started": float, "finished": float, "restore_time": float,
             "availability": float})

    @functools.cached_property
    def scoped_faults(self):
        """One row per fault with a scope (fault[].scope), indexed by fault: users_in_scope (share of the
        users it hits), began, ended, recovered (seconds from the start; NaN when it did not start, was
        not over, or its users had not recovered by the end), time_to_recover (recovered - began), and the
        requests from its start on of its users (requests, failed, availability) and of the others
        (others_requests, others_failed, others_availability). Empty when no fault has a scope."""
        import pandas as pd

        columns = ["users_in_scope", "began", "ended", "recovered", "time_to_recover", "requests", "failed",
                   "availability", "others_requests", "others_failed", "others_availability"]
        rows = []
        for x in self._report.get("scoped_faults", []):
            began, recovered = _number(x["began"]), _number(x["recovered"])
            inside, outside = x["inside"], x["outside"]
            rows.append({"fault": x["fault"], "users_in_scope": x["users_in_scope"], "began": began,
                         "ended": _number(x["ended"]), "recovered": recovered, "time_to_recover": recovered - began,
                         "requests": inside["requests"], "failed": inside["failed"],
                         "availability": inside["availability"], "others_requests": outside["requests"],
                         "others_failed": outside["failed"], "others_availability": outside["availability"]})
        return pd.DataFrame(rows, columns=["fault"] + columns).set_index("fault").astype(
            {c: float for c in ("users_in_scope", "began", "ended", "recovered", "time_to_recover", "availability",
                                "others_availability")})

    @functools.cached_property
    def scoped_fault_timeline(self):
        """One row per bucket per scoped fault and side, as the scope and scope_others rows of
        timeline.csv: t_start, t_end (seconds), fault, users ("in scope" or "others") and their requests
        in the bucket: requests, ok, degraded, failed, availability (NaN in a bucket without requests)."""
        import pandas as pd

        columns = ["t_start", "t_end", "fault", "users", "requests", "ok", "degraded", "failed", "availability"]
        parts = []
        for x in self._report.get("scoped_faults", []):
            for side, key in (("in scope", "inside"), ("others", "outside")):
                counts, availability = _bucket_counts(x[key]["buckets"])
                t_start, t_end = self._bucket_spans(len(counts["requests"]))
                parts.append(pd.DataFrame({"t_start": t_start, "t_end": t_end, "fault": x["fault"], "users": side,
                                           **counts, "availability": availability}))
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)

    @functools.cached_property
    def restore_tenants(self):
        """One row per tenant a restore brings back, in the order it takes them: action, tenant (its
        number, 0 to traffic.tenants - 1), restored_at (seconds from the start; NaN when not back by the
        end) and time_to_restore (restored_at minus when the data was lost)."""
        import numpy as np
        import pandas as pd

        columns = ["action", "tenant", "restored_at", "time_to_restore"]
        parts = []
        for x in self._report.get("restores", []):
            restored = np.asarray([_number(t) for t in x["restored_at"]], dtype=float)
            parts.append(pd.DataFrame({"action": x["action"], "tenant": np.asarray(x["tenant_ids"], dtype=np.int64),
                                       "restored_at": restored, "time_to_restore": restored - _number(x["lost_at"])}))
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)

    @functools.cached_property
    def restore_timeline(self):
        """One row per bucket per restore, as the restore rows of timeline.csv: t_start, t_end (seconds),
        action, share_done (share of the tenants hit that are back at the bucket's end) and the hit
        tenants' users' requests in the bucket: requests, ok, degraded, failed, availability (NaN in a
        bucket without requests)."""
        import numpy as np
        import pandas as pd

        columns = ["t_start", "t_end", "action", "share_done", "requests", "ok", "degraded", "failed", "availability"]
        parts = []
        for x in self._report.get("restores", []):
            counts, availability = _bucket_counts(x["buckets"])
            share = np.asarray(x["share_by_bucket"], dtype=float)
            t_start, t_end = self._bucket_spans(len(share))
            parts.append(pd.DataFrame({"t_start": t_start, "t_end": t_end, "action": x["action"], "share_done": share,
                                       **counts, "availability": availability}))
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)

    @functools.cached_property
    def replication(self):
        """One row per service with replicated state (service[].replication), indexed by service: mode
        ("async" or "sync"), writes (acknowledged by a primary), writes_lost (acknowledged, then missing
        on the promoted copy), writes_refused (while read-only), writes_reconciled, writes_awaiting
        (divergent writes not reconciled by the end), writes_discarded (dropped by a fail-back without
        reconciliation), read_only and failback_waited (seconds), failed_over_at,
        reconciliation_started and reconciled_at (seconds from the start; NaN when it did not). Empty
        when no service replicates."""
        import pandas as pd

        counts = ["writes", "writes_lost", "writes_refused", "writes_reconciled", "writes_awaiting", "writes_discarded"]
        times = ["failed_over_at", "reconciliation_started", "reconciled_at"]
        columns = ["mode"] + counts + ["read_only", "failback_waited"] + times
        rows = [{"service": x["service"], "mode": x["mode"], **{c: x[c] for c in counts},
                 "read_only": x["read_only"], "failback_waited": x["failback_waited"],
                 **{c: _number(x[c]) for c in times}}
                for x in self._report.get("replication", [])]
        return pd.DataFrame(rows, columns=["service"] + columns).set_index("service").astype(
            {**{c: "int64" for c in counts}, "read_only": float, "failback_waited": float, **{c: float for c in times}})

    @functools.cached_property
    def replication_timeline(self):
        """One row per bucket per replicated service, as the replication rows of timeline.csv: t_start,
        t_end (seconds), service, writes (acknowledged in the bucket), writes_lost (at a promotion in
        it), writes_refused (read-only), writes_awaiting (divergent writes not yet reconciled at its
        end) and read_only (seconds of it)."""
        import numpy as np
        import pandas as pd

        columns = ["t_start", "t_end", "service", "writes", "writes_lost", "writes_refused", "writes_awaiting",
                   "read_only"]
        parts = []
        for x in self._report.get("replication", []):
            writes = np.asarray(x["writes_by_bucket"], dtype=np.int64)
            t_start, t_end = self._bucket_spans(len(writes))
            parts.append(pd.DataFrame({"t_start": t_start, "t_end": t_end, "service": x["service"], "writes": writes,
                                       "writes_lost": np.asarray(x["lost_by_bucket"], dtype=np.int64),
                                       "writes_refused": np.asarray(x["refused_by_bucket"], dtype=np.int64),
                                       "writes_awaiting": np.asarray(x["awaiting_by_bucket"], dtype=np.int64),
                                       "read_only": np.asarray(x["read_only_by_bucket"], dtype=float)}))
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)

    @functools.cached_property
    def poisoned_caches(self):
        """One row per dependency whose cache a fault can poison (fault[].poisons_cache), indexed by
        dependency ("from->to"): requests (calls wanted), cache_hits, poisoned_hits (calls answered
        from bad entries: they failed with the fault's status) and poisoned_share (poisoned_hits /
        requests). Empty when no fault poisons a cache."""
        import pandas as pd

        columns = ["requests", "cache_hits", "poisoned_hits", "poisoned_share"]
        rows = [{"dependency": f"{e['from']}->{e['to']}", "requests": e["requests"], "cache_hits": e["cache_hits"],
                 "poisoned_hits": e["poisoned_hits"],
                 "poisoned_share": e["poisoned_hits"] / e["requests"] if e["requests"] else float("nan")}
                for e in self._report["edges"] if "poisoned_hits" in e]
        return pd.DataFrame(rows, columns=["dependency"] + columns).set_index("dependency").astype(
            {"requests": "int64", "cache_hits": "int64", "poisoned_hits": "int64", "poisoned_share": float})

    @functools.cached_property
    def poisoned_cache_timeline(self):
        """One row per bucket per dependency of ``poisoned_caches``: t_start, t_end (seconds),
        dependency, requests (calls wanted in the bucket), poisoned_hits (answered from bad entries) and
        poisoned_share (NaN in a bucket without calls)."""
        import numpy as np
        import pandas as pd

        columns = ["t_start", "t_end", "dependency", "requests", "poisoned_hits", "poisoned_share"]
        parts = []
        for e in self._report["edges"]:
            if "poisoned_hits" not in e:
                continue
            requests = np.asarray(e["requests_by_bucket"], dtype=np.int64)
            poisoned = np.asarray(e["poisoned_by_bucket"], dtype=np.int64)
            t_start, t_end = self._bucket_spans(len(requests))
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(requests > 0, poisoned / requests, np.nan)
            parts.append(pd.DataFrame({"t_start": t_start, "t_end": t_end, "dependency": f"{e['from']}->{e['to']}",
                                       "requests": requests, "poisoned_hits": poisoned, "poisoned_share": share}))
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)

    @functools.cached_property
    def backlogs(self):
        """One row per dependency with a backlog (dependency[].backlog), indexed by dependency
        ("from->to"): kept (failed calls kept for replay), replayed, dropped (failed with the queue
        full), max_length (most waiting at once), replay_rate (calls/s), failed_replays (replays that failed and
        held the replay), first_kept and drained_at (seconds from the start; NaN when it did not).
        Empty when no dependency has one."""
        import pandas as pd

        counts = ["kept", "replayed", "dropped", "max_length", "failed_replays"]
        columns = counts + ["replay_rate", "first_kept", "drained_at"]
        rows = [{"dependency": b["dependency"], **{c: b[c] for c in counts}, "replay_rate": b["replay_rate"],
                 "first_kept": _number(b["first_kept"]), "drained_at": _number(b["drained_at"])}
                for b in self._report.get("backlogs", [])]
        return pd.DataFrame(rows, columns=["dependency"] + columns).set_index("dependency").astype(
            {**{c: "int64" for c in counts}, "replay_rate": float, "first_kept": float, "drained_at": float})

    @functools.cached_property
    def backlog_timeline(self):
        """One row per bucket per backlog, as the backlog rows of timeline.csv: t_start, t_end (seconds),
        dependency, kept and replayed (calls, in the bucket) and length (calls waiting at its end)."""
        import numpy as np
        import pandas as pd

        columns = ["t_start", "t_end", "dependency", "kept", "replayed", "length"]
        parts = []
        for b in self._report.get("backlogs", []):
            length = np.asarray(b["length_by_bucket"], dtype=np.int64)
            t_start, t_end = self._bucket_spans(len(length))
            parts.append(pd.DataFrame({"t_start": t_start, "t_end": t_end, "dependency": b["dependency"],
                                       "kept": np.asarray(b["kept_by_bucket"], dtype=np.int64),
                                       "replayed": np.asarray(b["replayed_by_bucket"], dtype=np.int64),
                                       "length": length}))
        if not parts:
            return pd.DataFrame(columns=columns)
        return pd.concat(parts, ignore_index=True)

    @functools.cached_property
    def users(self):
        """One row per bucket in scenarios with sessions (a status the client maps to "logout"), as the
        users rows of timeline.csv: t_start, t_end (seconds), sessions_lost (represented users logged out
        in the bucket), and at the bucket's end logged_out (not logged in again yet), affected (users
        with a failed request so far), impaired (affected and not recovered: their latest request
        failed, or they must still log in again) and share_recovered (1 - impaired / affected; NaN while
        nobody was affected). Empty when the scenario has no sessions."""
        import numpy as np
        import pandas as pd

        columns = ["t_start", "t_end", "sessions_lost", "logged_out", "affected", "impaired", "share_recovered"]
        u = self._report.get("users")
        if u is None:
            return pd.DataFrame(columns=columns)
        affected = np.asarray(u["affected_by_bucket"], dtype=float)
        impaired = np.asarray(u["impaired_by_bucket"], dtype=float)
        t_start, t_end = self._bucket_spans(len(affected))
        with np.errstate(invalid="ignore", divide="ignore"):
            recovered = np.where(affected > 0, 1 - impaired / affected, np.nan)
        return pd.DataFrame({"t_start": t_start, "t_end": t_end,
                             "sessions_lost": np.asarray(u["sessions_lost_by_bucket"], dtype=float),
                             "logged_out": np.asarray(u["logged_out_by_bucket"], dtype=float),
                             "affected": affected, "impaired": impaired, "share_recovered": recovered})

    @functools.cached_property
    def user_reports(self):
        """One row per bucket when the scenario models detection by users (incident.user_reports):
        t_start, t_end (seconds), reports (made in the bucket) and in_window (made within the window
        up to the bucket's end, the figure weighed against threshold). The threshold and window are
        in the frame's attrs. Empty when the scenario does not model them."""
        import numpy as np
        import pandas as pd

        columns = ["t_start", "t_end", "reports", "in_window"]
        u = self._report.get("user_reports")
        if u is None:
            return pd.DataFrame(columns=columns)
        reports = np.asarray(u["reports_by_bucket"], dtype=np.int64)
        span = max(1, int(np.ceil(u["window"] / self._report["bucket"] - 1e-9)))
        cumulative = np.concatenate([[0], np.cumsum(reports)])
        in_window = cumulative[1:] - cumulative[np.maximum(0, np.arange(1, len(reports) + 1) - span)]
        t_start, t_end = self._bucket_spans(len(reports))
        frame = pd.DataFrame({"t_start": t_start, "t_end": t_end, "reports": reports, "in_window": in_window})
        frame.attrs.update(threshold=u["threshold"], window=u["window"])
        return frame

    @functools.cached_property
    def resource_timeline(self):
        """One row per bucket per shared resource, as the resource rows of timeline.csv: t_start, t_end
        (seconds), name, kind, utilisation (share of the capacity used), backlog (mean work waiting: cpu,
        threads waiting for a core; disk, writes; pool, calls waiting for a connection) and limit_hits."""
        import numpy as np
        import pandas as pd

        columns = ["t_start", "t_end", "name", "kind", "utilisation", "backlog", "limit_hits"]
        parts = []
        for x in self._report.get("resources", []):
            utilisation = np.asarray(x["utilisation_by_bucket"], dtype=float)
            t_start, t_end = self._bucket_spans(len(utilisation))
            parts.append(pd.DataFrame({"t_start": t_start, "t_end": t_end, "name": x["name"], "kind": x["kind"],
                                       "utilisation": utilisation,
                                       "backlog": np.asarray(x["backlog_by_bucket"], dtype=float),
                                       "limit_hits": np.asarray(x["limit_hits_by_bucket"], dtype=np.int64)}))
        if not parts:
            return pd.DataFrame({c: [] for c in columns})
        return pd.concat(parts, ignore_index=True)[columns]

    @functools.cached_property
    def propagation(self):
        """The causal chain: one row per service that became unhealthy, in order: time (seconds),
        service, via (``fault:<name>``, ``edge:<from>-><to>`` or ``resource:<name>``, a saturated shared
        resource) and the dominant cause."""
        import pandas as pd

        return pd.DataFrame(self._report["propagation"], columns=["time", "service", "via", "cause"])

    @functools.cached_property
    def events(self):
        """Faults starting and ending, alerts, actions and incident stages: time, kind, name, detail."""
        import pandas as pd

        return pd.DataFrame(self._report["events"], columns=["time", "kind", "name", "detail"])

    @functools.cached_property
    def expectations(self):
        """The checks the run was held to, as ``faultline run --check`` judges them: each feature's SLO
        (kind ``slo``) then each ``[[expect]]`` of the scenario (kind ``expect``), with columns metric,
        kind, at_least, at_most (NaN when not given; seconds for time metrics), value (NaN: an incident
        time the run has not got), met and line (of the ``[[expect]]``; 0 for an SLO)."""
        import pandas as pd

        columns = ["metric", "kind", "at_least", "at_most", "value", "met", "line"]
        rows = [{**e, **{k: _number(e[k]) for k in ("at_least", "at_most", "value")}}
                for e in self._report.get("expectations", [])]
        return pd.DataFrame(rows, columns=columns).astype(
            {"at_least": float, "at_most": float, "value": float, "met": bool, "line": "int64"})

    @functools.cached_property
    def incidents(self):
        """Every incident of the run, in order (``incident`` is the first): one row each with the stage
        times impact_start ... recovered and ttr (seconds; NaN for a stage that never happened),
        detected_by, mitigated_by, and the TTR stage spans detection, acknowledgement, diagnosis,
        mitigation, recovery (seconds; NaN when null, as in ``incident["stages"]``)."""
        import pandas as pd

        rows = [{**{c: _number(i[c]) for c in (*INCIDENT_STAGES, "ttr")},
                 "detected_by": i["detected_by"], "mitigated_by": i["mitigated_by"],
                 **{s: _number(i["stages"][s]) for s in TTR_STAGES}}
                for i in self._report.get("incidents", [])]
        numeric = {c: float for c in _INCIDENT_COLUMNS if c not in ("detected_by", "mitigated_by")}
        return pd.DataFrame(rows, columns=_INCIDENT_COLUMNS).astype(numeric)

    @functools.cached_property
    def status_updates(self):
        """What the status page (or the fallback channel) told users, in order: time (seconds), state
        (investigating, identified, monitoring, resolved), message, eta (estimated restoration, seconds
        from the start; NaN when none was given) and channel (status_page or fallback)."""
        import pandas as pd

        rows = [{**u, "eta": _number(u["eta"])} for u in self._report.get("status_updates", [])]
        return pd.DataFrame(rows, columns=_STATUS_UPDATE_COLUMNS).astype({"time": float, "eta": float})

    # --- pictures -----------------------------------------------------------------------------------
    def plot(self, ax=None):
        """Per-feature availability over time, each feature's SLO as a dashed line in its colour, and
        the incident stages as vertical markers. Draws into ``ax`` when given; returns the Figure."""
        from .availability_plot import plot_availability

        return plot_availability(self, ax)

    def plot_latency(self, ax=None):
        """Per-feature p99 latency over time, of successful requests (solid) and of all requests
        (dashed), on a logarithmic axis, with the incident stages. Draws into ``ax`` when given;
        returns the Figure."""
        from .availability_plot import plot_latency

        return plot_latency(self, ax)

    def _repr_html_(self):
        """A compact summary for notebooks: headline numbers, features against their SLO, the incident and
        where its time to recovery went."""
        p, s, i = self._report["provenance"], self._report["summary"], self._report["incident"]
        head = (f"<p><b>{html.escape(p['scenario_name'])}</b> (seed {p['seed']}): availability "
                f"{s['availability']:.4%}, users affected {s['users_affected']:,.0f}, user-minutes lost "
                f"{s['user_minutes_lost']:,.0f}, sessions lost {s['sessions_lost']:,.0f}</p>")
        features = "".join(
            f"<tr><td style='text-align:left'>{html.escape(f['name'])}</td><td>{f['availability']:.4%}</td>"
            f"<td>{f['slo']:.3%}</td><td>{'' if f['availability'] >= f['slo'] else 'below SLO'}</td></tr>"
            for f in self._report["features"])
        stages = "".join(
            f"<tr><td style='text-align:left'>{stage}</td><td>{_clock(i[stage])}</td></tr>" for stage in INCIDENT_STAGES)
        spans = ", ".join(f"{d} {_clock(i[d])}" for d in INCIDENT_DURATIONS)
        incidents = self._report.get("incidents", [])
        if len(incidents) > 1:  # the table shows the first; say how many there were and how long they took
            spans += (f"; {len(incidents)} incidents in the run, longest ttr {_clock(s.get('worst_ttr'))}, mean "
                      f"{_clock(s.get('mean_ttr'))} (<code>.incidents</code>; the stages above are the first's)")
        return (head + "<div style='display:flex;gap:2em;align-items:flex-start'>"
                "<table><tr><th style='text-align:left'>feature</th><th>availability</th><th>SLO</th><th></th></tr>"
                + features + "</table><table><tr><th style='text-align:left'>incident</th><th>at</th></tr>" + stages
                + "</table></div>" + f"<p>{spans}</p>" + _stage_breakdown_html(i.get("stages")))

    def __repr__(self):
        p, s, i = self._report["provenance"], self._report["summary"], self._report["incident"]
        ttr = "never" if i["ttr"] is None else f"{i['ttr']:g} s"
        return (f"<Result {p['scenario_name']!r} seed={p['seed']}: availability {s['availability']:.4f}, "
                f"users affected {s['users_affected']:.0f}, sessions lost {s['sessions_lost']:.0f}, ttr {ttr}>")


# The colour of the stage each span ends at, as in the HTML report.
_STAGE_COLOURS = dict(zip(TTR_STAGES, ("#d35400", "#9a7d0a", "#7d3c98", "#2471a3", "#1e8449")))


def _stage_breakdown_html(stages):
    """The TTR stage spans as one stacked bar and a line of text: each span and its share; a stage with
    no span reads "—" when a later one happened (skipped) and "never" otherwise."""
    if not stages:
        return ""
    total = sum(stages[s] or 0 for s in TTR_STAGES)
    if total <= 0:
        return ""
    bar, words = "", []
    for k, stage in enumerate(TTR_STAGES):
        span = stages[stage]
        if span is None:
            later = any(stages[s] is not None for s in TTR_STAGES[k + 1:])
            words.append(f"{stage} {'—' if later else 'never'}")
            continue
        text = f"{stage} {_clock(span)} ({span / total:.0%})"
        words.append(text)
        bar += (f"<div title='{text}' style='width:{100 * span / total:.2f}%;background:{_STAGE_COLOURS[stage]}'>"
                "</div>")
    label = "time to recovery by stage" if stages["recovery"] is not None else "not recovered: time so far by stage"
    return (f"<div style='display:flex;height:12px;max-width:40em'>{bar}</div>"
            f"<p>{label}: {', '.join(words)}</p>")


def _number(value):
    return float("nan") if value is None else value


def _clock(seconds):
    """Seconds as mm:ss, h:mm:ss or, from a day on, "12d 03:20:00" ("never" for a stage that did not
    happen), as the CLI summary and the HTML report show times."""
    if seconds is None:
        return "never"
    whole = round(abs(seconds))
    sign = "-" if seconds < 0 and whole else ""
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return f"{sign}{days}d {hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    if hours:
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{sign}{rest // 60:02d}:{rest % 60:02d}"
