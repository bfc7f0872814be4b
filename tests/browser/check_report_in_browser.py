#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium loads the reference outage's report.html, the
page logs no console message at warning level or above and fails to load nothing, the charts and the
headline are in the rendered DOM, no two labels of a chart (incident stages, axis ticks) overlap as the
browser lays them out, and a screenshot of the page is written (a CI artifact).

usage: check_report_in_browser.py FAULTLINE_BIN OUT_DIR

OUT_DIR receives reference/ (the report files of `faultline demo`) and report-screenshot.png.
"""
import html
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


# A page that loads the report in a frame and measures, with the browser's own text layout, whether
# any two labels of a chart overlap: the incident stages above the plot, the ticks of its axes.
LABEL_CHECK = """<!DOCTYPE html>
<html><body><pre id="result">not measured</pre>
<iframe id="report" src="report.html" width="1200" height="3000"></iframe>
<script>
document.getElementById("report").addEventListener("load", () => {
  const doc = document.getElementById("report").contentDocument;
  const found = [];
  let labels = 0;
  for (const svg of doc.querySelectorAll("svg.chart")) {
    for (const kind of ["text.stage", "text.tick"]) {
      const texts = [...svg.querySelectorAll(kind)];
      // A text's box includes the line's leading: labels stacked in rows 12 px apart (11 px text) touch
      // by a pixel without their glyphs meeting, so each box loses 2 px at the top and the bottom.
      const boxes = texts.map(t => t.getBBox()).map(b => ({x: b.x, y: b.y + 2, width: b.width, height: b.height - 4}));
      labels += boxes.length;
      for (let i = 0; i < boxes.length; ++i)
        for (let j = i + 1; j < boxes.length; ++j) {
          const a = boxes[i], b = boxes[j];
          if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
            found.push(svg.getAttribute("aria-label") + ": '" + texts[i].textContent + "' and '" +
                       texts[j].textContent + "'");
        }
    }
  }
  document.getElementById("result").textContent = "labels " + labels + "; overlaps " + found.length + "\\n" +
                                                  found.join("\\n");
});
</script></body></html>
"""


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
        check = reference / "label-check.html"
        check.write_text(LABEL_CHECK)
        measured, _ = browse(browser, check, profile, "--dump-dom", "--allow-file-access-from-files")

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

    # Labels laid out by the browser: there are some, and none runs into another.
    result = re.search(r'<pre id="result">labels (\d+); overlaps (\d+)\n?([^<]*)</pre>', measured)
    if not result:
        problems.append("the label check did not run: " + re.sub(r"\s+", " ", measured)[:300])
    else:
        labels, overlaps = int(result.group(1)), int(result.group(2))
        if labels < 20:
            problems.append(f"only {labels} chart labels were measured")
        if overlaps:
            problems.append(f"{overlaps} pairs of chart labels overlap:\n{html.unescape(result.group(3)).strip()}")

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
          f"messages, {result.group(1)} chart labels and none overlapping; screenshot {screenshot} ({screenshot.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
