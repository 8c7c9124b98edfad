"""Reports in a real browser: headless Chromium opens every page of a run built from hostile input.

The corpus in ``fixtures/hostile/`` carries ``<script>``, ``<img onerror>``, ``<svg onload>``,
``javascript:`` links (HTML and Markdown) and HTML smuggled into titles, in every field and
in file names. It is ingested, analysed and reported once (module-scoped: one kernel start
per notebook); then Chromium, driven over the Chrome DevTools Protocol, loads each HTML
report and the index. In the rendered DOM: no JavaScript error, ``document.title`` is the
report's own title, no ``on*`` attribute and no ``javascript:`` URL anywhere, the hostile
strings are visible as text, the expected headings are there, every figure image decoded
(non-zero ``naturalWidth``). A full-page screenshot of each page is saved under the test's
tmp folder and its path printed (``pytest -s`` shows them).

Chromium is ``/usr/bin/chromium`` (Debian's package; ``.ci/run`` installs it). Without it
the tests skip, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from mediawork import reports
from mediawork.ingest import ingest

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"

REPORT_TITLE = "Hostile <b>input</b> check & <script>document.title='pwned'</script>"

#: fixture file -> name it gets in the raw folder (names with markup stay out of the repository)
RAW_NAMES = {
    "records.json": "records.json",
    "dump.txt": "<img src=x onerror=\"document.title='pwned'\">.txt",
    "feed.csv": "<svg onload=document.title='pwned'>.csv",
}
#: a second copy of the dump (an exact duplicate) and an unusable input, both with hostile names
DUPLICATE_NAME = "<a href=\"javascript:document.title='pwned'\">copy.txt"
REJECTED_NAME = "<b onmouseover=alert(1)>binary.txt"

#: strings that must be visible as text in the overview report, as cleaning keeps them
VISIBLE_IN_OVERVIEW = [
    "Harbour bridge reopens <script>document.title='pwned'</script> after repairs",  # title
    "Council budget vote </td></tr></table><h2 id=\"smuggled\">Injected heading</h2> delayed",  # smuggled HTML
    "[click](javascript:alert(1)) Ferry crews <svg onload=\"document.title='pwned'\"> vote to strike",  # Markdown link
    "Market stalls return <a href=\"javascript:document.title='pwned'\">to the square</a>",  # javascript: link
    "School roof <svg onload=\"document.title='pwned'\"> fixed <img src=x onerror=\"document.title='pwned'\"> before the rains",
    "<svg onload=\"document.title='pwned'\">wenlow.example",  # source
    "<script>document.title='pwned'</script>",  # source of the CSV record
    REJECTED_NAME,  # file name of the rejected input
]

#: headings each known notebook must show (h1-h3 text); other notebooks get the generic checks only
EXPECTED_HEADINGS = {
    "overview": ["Articles by source", "Articles per day", "Cleaning", "Summary", "Rejected inputs", "Articles"],
}
#: the least number of figure images each known notebook shows
EXPECTED_IMAGES = {"overview": 2}

NOTEBOOKS = reports.available_notebooks()

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--window-size=1280,900",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]

#: what the page reports about itself, evaluated in the page after it loaded
INSPECT_JS = r"""
(() => {
  const elements = [...document.querySelectorAll('*')];
  const handlers = [], scriptUrls = [];
  for (const el of elements) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) handlers.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`);
      const value = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (value.startsWith('javascript:') || value.startsWith('vbscript:')) scriptUrls.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`);
    }
  }
  return {
    title: document.title,
    headings: [...document.querySelectorAll('h1, h2, h3')].map(h => h.textContent.replace(/\s+/g, ' ').replace(/¶$/, '').trim()),
    h1: [...document.querySelectorAll('h1')].map(h => h.textContent.replace(/¶$/, '').trim()),
    images: [...document.images].map(i => ({src: i.src.slice(0, 30), width: i.naturalWidth, height: i.naturalHeight})),
    handlers,
    scriptUrls,
    smuggled: document.getElementById('smuggled') !== null,
    externalScripts: [...document.scripts].filter(s => s.src).map(s => s.src),
    text: document.body ? document.body.innerText : '',
    pwned: window.__pwned === true,
  };
})()
"""


# ---------------------------------------------------------------- a small Chrome DevTools Protocol client


class _Browser:
    """Headless Chromium started for the tests, spoken to over one WebSocket (flat sessions)."""

    def __init__(self, executable: str, profile: Path) -> None:
        import websocket  # websocket-client, installed with jupyter_server

        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"{executable} did not open its DevTools port within 30 s (exit code {self.process.returncode})")
            time.sleep(0.05)
        port, path = port_file.read_text().split()[:2]
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=60, suppress_origin=True)
        self._id = 0
        self._backlog: list[dict[str, Any]] = []
        self.version = self.call("Browser.getVersion")["product"]

    def _handle(self, message: dict[str, Any]) -> None:
        if message.get("method") == "Page.javascriptDialogOpening":  # an alert() would block the page: answer it
            self._id += 1
            self.ws.send(json.dumps({"id": self._id, "method": "Page.handleJavaScriptDialog", "params": {"accept": True}, "sessionId": message.get("sessionId")}))
        if "method" in message:
            self._backlog.append(message)

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None) -> dict[str, Any]:
        self._id += 1
        wanted = self._id
        message: dict[str, Any] = {"id": wanted, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise RuntimeError(f"{method} failed: {reply['error']}")
                return reply.get("result", {})
            self._handle(reply)

    def wait_for(self, method: str, *, session: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self._backlog:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {timeout} s")
            self._handle(json.loads(self.ws.recv()))

    def events(self, session: str) -> list[dict[str, Any]]:
        return [e for e in self._backlog if e.get("sessionId") == session]

    def open(self, page: Path, screenshot: Path) -> dict[str, Any]:
        """Load ``page``, let it settle, and return what INSPECT_JS says plus the errors seen."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        try:
            for domain in ("Page", "Runtime", "Log"):
                self.call(f"{domain}.enable", session=session)
            self.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            self.wait_for("Page.loadEventFired", session=session)
            self.call("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(r, 300))", "awaitPromise": True}, session=session)
            seen = self.call("Runtime.evaluate", {"expression": INSPECT_JS, "returnByValue": True}, session=session)
            if "exceptionDetails" in seen:
                raise RuntimeError(f"the inspection script failed: {seen['exceptionDetails']}")
            facts = seen["result"]["value"]
            size = self.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": min(size["width"], 1600), "height": min(size["height"], 12000), "scale": 1}
            shot = self.call("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}, session=session)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            facts["errors"] = _errors(self.events(session))
            facts["dialogs"] = [e["params"].get("message") for e in self.events(session) if e["method"] == "Page.javascriptDialogOpening"]
            return facts
        finally:
            self.call("Target.closeTarget", {"targetId": target})

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                try:
                    self.call("Browser.close")
                except Exception:  # noqa: BLE001 - the browser may already be gone
                    pass
                self.ws.close()
        finally:
            if self.process.poll() is None:
                self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _errors(events: list[dict[str, Any]]) -> list[str]:
    out = []
    for e in events:
        params = e.get("params", {})
        if e["method"] == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            out.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif e["method"] == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            out.append("console." + params["type"] + ": " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif e["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            out.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())
    return out


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def _require_chromium() -> str:
    """Chromium's path; without one, skip the test, or fail it under ``CI=true``."""
    executable = _chromium()
    if executable is None:
        message = "headless Chromium not found (looked for chromium, chromium-browser, google-chrome on PATH): install it with `apt-get install -y chromium`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: the browser tests must run)")
        pytest.skip(message)
    return executable


@pytest.fixture(scope="module")
def browser():
    executable = _require_chromium()
    profile = Path(tempfile.mkdtemp(prefix="mediawork-chromium-"))
    instance = _Browser(executable, profile)
    try:
        yield instance
    finally:
        instance.close()
        shutil.rmtree(profile, ignore_errors=True)


# ---------------------------------------------------------------- the hostile run


def _write_raw(raw: Path) -> Path:
    raw.mkdir(parents=True)
    for fixture, name in RAW_NAMES.items():
        shutil.copyfile(HOSTILE / fixture, raw / name)
    shutil.copyfile(HOSTILE / "dump.txt", raw / DUPLICATE_NAME)
    (raw / REJECTED_NAME).write_bytes(b"\x00\x01\x02 not text")
    return raw


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """The hostile corpus ingested, analysed and reported with every notebook (one run)."""
    base = tmp_path_factory.mktemp("hostile")
    raw, data = _write_raw(base / "raw"), base / "processed"
    ingest(None, raw_dir=raw, out_dir=data, progress=False)
    if NOTEBOOKS != ["overview"]:  # the analysis notebooks read the analysis tables
        from mediawork.analyze import analyze

        actors = REPO / "data" / "actors.yml"
        analyze(data, actors_file=actors if actors.is_file() else None, discover=True, progress=False)
    run = reports.run_reports(data_dir=data, out_dir=base / "reports", parameters={"title": REPORT_TITLE}, progress=False)
    return run


@pytest.fixture(scope="module")
def pages(hostile_run, browser, tmp_path_factory):
    """Every HTML page of the run (and the index) as the browser rendered it, by name."""
    shots = tmp_path_factory.mktemp("screenshots")
    out: dict[str, dict[str, Any]] = {}
    targets = {r.name: hostile_run.run_dir / r.html for r in hostile_run.results if r.html}
    targets["index"] = hostile_run.index
    for name, page in targets.items():
        screenshot = shots / f"{name}.png"
        out[name] = browser.open(page, screenshot)
        out[name]["screenshot"] = screenshot
        print(f"screenshot of {name}: {screenshot}")
    return out


def _page(pages: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    if name not in pages:
        pytest.fail(f"notebook {name} produced no HTML page in the run; pages: {sorted(pages)}")
    return pages[name]


# ---------------------------------------------------------------- every page


@pytest.mark.slow
def test_every_notebook_ran_on_the_hostile_corpus(hostile_run):
    assert [r.name for r in hostile_run.results] == NOTEBOOKS
    assert hostile_run.failures == [], "\n".join(hostile_run.summary_lines())


@pytest.mark.slow
@pytest.mark.parametrize("name", [*NOTEBOOKS, "index"])
def test_page_has_no_javascript_errors_and_no_dialogs(pages, name):
    page = _page(pages, name)
    assert page["errors"] == [], f"{name}: {page['errors']}"
    assert page["dialogs"] == [] and not page["pwned"]


@pytest.mark.slow
@pytest.mark.parametrize("name", [*NOTEBOOKS, "index"])
def test_page_keeps_its_own_title(pages, hostile_run, name):
    expected = "mediawork reports" if name == "index" else next(r.title for r in hostile_run.results if r.name == name)
    assert _page(pages, name)["title"] == expected
    assert _page(pages, name)["title"] != "pwned"


@pytest.mark.slow
@pytest.mark.parametrize("name", [*NOTEBOOKS, "index"])
def test_page_has_no_event_handlers_script_urls_or_smuggled_elements(pages, name):
    page = _page(pages, name)
    assert page["handlers"] == [], f"{name}: on* attributes reached the DOM: {page['handlers']}"
    assert page["scriptUrls"] == [], f"{name}: javascript: URLs reached the DOM: {page['scriptUrls']}"
    assert not page["smuggled"], f"{name}: an element smuggled in through a title was created"
    assert page["externalScripts"] == [], f"{name}: the page loads scripts from elsewhere"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_report_opens_with_its_title_and_run_facts(pages, hostile_run, name):
    page = _page(pages, name)
    title = next(r.title for r in hostile_run.results if r.name == name)
    assert page["h1"] and page["h1"][0].startswith(title), f"{name}: first heading is {page['h1'][:1]}, expected it to start with the title {title!r}"
    text = page["text"]
    for fact in ("parameter title", "data fingerprint", hostile_run.facts["data_fingerprint"], "mediawork", "nltk", "sentiment lexicon", "run at"):
        assert fact in text, f"{name}: the header does not show {fact!r}"
    assert text.lstrip().startswith(title), f"{name}: the page does not open with its title"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_report_figures_decoded(pages, name):
    images = _page(pages, name)["images"]
    assert len(images) >= EXPECTED_IMAGES.get(name, 0), f"{name}: {len(images)} image(s)"
    broken = [i for i in images if i["width"] == 0 or i["height"] == 0]
    assert broken == [], f"{name}: images that did not decode: {broken}"
    assert all(i["src"].startswith("data:image/") for i in images), f"{name}: images not embedded: {images}"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "heading"), [(n, h) for n, hs in EXPECTED_HEADINGS.items() if n in NOTEBOOKS for h in hs])
def test_report_shows_its_headings(pages, name, heading):
    assert heading in _page(pages, name)["headings"]


@pytest.mark.slow
@pytest.mark.parametrize("text", VISIBLE_IN_OVERVIEW)
def test_hostile_strings_are_visible_as_text_in_the_overview(pages, text):
    assert text in _page(pages, "overview")["text"]


@pytest.mark.slow
def test_index_lists_the_run_with_its_facts_as_text(pages, hostile_run):
    text = _page(pages, "index")["text"]
    assert hostile_run.run_id in text and hostile_run.facts["data_fingerprint"] in text
    assert f"title = {REPORT_TITLE}" in text  # the title parameter, as text
    assert "sentiment lexicon" in text and "run.log" in text


@pytest.mark.slow
def test_screenshots_are_saved_png_files(pages):
    for name, page in pages.items():
        assert page["screenshot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert page["screenshot"].stat().st_size > 2_000, f"{name}: screenshot looks empty"


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception), ("false", pytest.skip.Exception)])
def test_a_missing_browser_fails_under_ci_and_skips_elsewhere(monkeypatch, ci, outcome):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(Path, "is_file", lambda self: False)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="headless Chromium not found"):
        _require_chromium()
