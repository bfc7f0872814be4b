#!/usr/bin/env python3
"""Fails when scenarios/SCHEMA.md is not what `faultline schema` renders from the schema table.

Usage: check_schema_doc.py FAULTLINE_BIN SCHEMA_MD
Exit 0 when they match; 1 with a unified diff when the file is stale; 2 when the binary fails.
"""
import difflib
import subprocess
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary, schema_md = argv[1], argv[2]
    run = subprocess.run([binary, "schema"], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"`{binary} schema` failed with exit code {run.returncode}:\n{run.stderr}", file=sys.stderr)
        return 2
    try:
        with open(schema_md, encoding="utf-8", newline="") as f:
            committed = f.read()
    except OSError as e:
        committed = ""
        print(f"cannot read {schema_md}: {e.strerror}", file=sys.stderr)
    if committed == run.stdout:
        return 0
    diff = difflib.unified_diff(committed.splitlines(keepends=True), run.stdout.splitlines(keepends=True),
                                fromfile=schema_md, tofile="faultline schema")
    sys.stdout.writelines(diff)
    print(f"\n{schema_md} is stale: regenerate with `build/faultline schema > scenarios/SCHEMA.md`")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
