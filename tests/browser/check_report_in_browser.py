#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium loads the reference outage's report.html, the
page logs no console message at warning level or above and fails to load nothing, the charts and the
headline are in the rendered DOM, and a screenshot of the page is written (a CI artifact).

usage: check_report_in_browser.py FAULTLINE_BIN OUT_DIR

OUT_DIR receives reference/ (the report files of `faultline demo`) and report-screenshot.png.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium():
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no Chromium on PATH (apt install chromium; tools/bootstrap.sh installs it)")


def browse(browser, page, profile, *extra):
    """Run headless Chromium on `page`; returns (stdout, stderr)."""
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile}",
               "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", *extra, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        sys.exit(f"chromium exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done.stdout, done.stderr


def main():
    faultline, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    reference = out / "reference"
    subprocess.run([str(faultline), "demo", "--out", str(reference), "--quiet", "--force"], check=True,
                   stdout=subprocess.DEVNULL)
    page = (reference / "report.html").resolve()
    browser = chromium()
    problems = []
    with tempfile.TemporaryDirectory() as profile:
        dom, log = browse(browser, page, profile, "--dump-dom")
        screenshot = out / "report-screenshot.png"
        if screenshot.exists():
            screenshot.unlink()
        browse(browser, page, profile, f"--screenshot={screenshot}", "--window-size=1200,4000",
               "--hide-scrollbars")

    # Console messages Chromium logs from the page: `INFO:CONSOLE:1] "text", source: url (1)` (older
    # builds write CONSOLE(1)); its own noise about the GPU or dbus is not the page's. Any console
    # output, an uncaught exception or a resource that failed to load is a problem.
    for line in log.splitlines():
        if re.search(r"CONSOLE[:(]", line) or "Uncaught" in line or "Failed to load resource" in line:
            problems.append(f"console: {line.strip()}")
    # Self-contained: nothing fetched from elsewhere (which would fail offline, or leak the report).
    for reference in re.findall(r'(?:src|href)="([^"#][^"]*)"', dom):
        if not reference.startswith("data:"):
            problems.append(f"the page loads {reference}")

    # The rendered page: the header names the scenario, the headline cards, the incident timeline,
    # an availability chart per feature, the service heat strip and the TTR breakdown bar.
    if "<h1>spotify-2022-03-08</h1>" not in dom:
        problems.append("the header does not name the scenario")
    cards = len(re.findall(r'<div class="card">', dom))
    if cards < 6:
        problems.append(f"{cards} headline cards, expected 6")
    charts = len(re.findall(r'<svg class="chart"', dom))
    features = len(re.findall(r'aria-label="availability of ', dom))
    if features < 3 or charts < features + 2:
        problems.append(f"{charts} charts ({features} feature charts): expected a chart per feature and more")
    for needed in ("<h2>Incident timeline", "time to recovery by stage", "services' availability over time"):
        if needed not in dom:
            problems.append(f"missing from the rendered page: {needed}")

    # The screenshot is a real picture of the page, not an empty canvas.
    if not screenshot.exists() or screenshot.stat().st_size < 20000:
        problems.append(f"no screenshot, or a nearly empty one, at {screenshot}")
    else:
        try:
            from PIL import Image

            with Image.open(screenshot) as image:
                colours = image.convert("RGB").resize((300, 1000)).getcolors(maxcolors=1 << 16)
            if colours is not None and len(colours) < 50:
                problems.append(f"the screenshot has only {len(colours)} colours: the page did not render")
        except ImportError:
            pass

    if problems:
        print("\n".join(problems))
        return 1
    print(f"report.html renders in {os.path.basename(browser)}: {charts} charts, {cards} cards, no console "
          f"messages; screenshot {screenshot} ({screenshot.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
