"""Every page of every demo role in a real Chromium, at 1366 px and at 390 px (issue 9).

The small demo province (the real generator, seed 7) is served under uvicorn on a free loopback
port. For each demo role the test follows the role's navigation, then one page of each kind those
pages link to (an account, an application, a credential, a plan …), and on every page checks:

- the answer is not a server error and no link of the navigation answers 403;
- nothing scrolls sideways (`scrollWidth <= innerWidth`) at 1366 and at 390 px;
- no console errors;
- axe-core (vendored, tests/e2e/vendor/axe-core, no network) finds no serious or critical violation;
- in English mode no Chinese text is left outside data (names, titles: marked `translate="no"`).

Screenshots of each role's main pages go to out/screenshots/ (git-ignored). The figures per role
(pages, overflowing pages, axe violations, untranslated texts) are printed and written to
out/screenshots/summary.txt.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import TEST_SECRET
from tests.e2e.test_browser import CHROMIUM_ARGS, chromium_path, free_port
from zhijiao.bootstrap import Platform
from zhijiao.config import Settings
from zhijiao.demo.build import DEMO_PASSWORD, build_demo

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
OUT = Path(__file__).parents[2] / "out" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
ROLES = ("learner1", "staff1", "certifier1", "gd_admin", "admin")
# one page of each kind reached from the navigation (pattern of the path → name of the kind)
DETAIL_KINDS = (
    r"^/accounts/[^/]+$",
    r"^/conversion/applications/\d+$",
    r"^/conversion/apply$",
    r"^/plans/\d+/[^/]+/\d+$",
    r"^/verify/[^/]+$",
    r"^/credentials/[^/]+/status$",
    r"^/outcomes/\d+/(correct|revoke)$",
    r"^/imports/\d+$",
    r"^/quality/school$",
    r"^/quality/trace$",
    r"^/quality/standards$",
    r"^/quality/province$",
)
# Chinese characters (CJK ideographs and full-width punctuation) that English mode must not show
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
UNTRANSLATED_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode;
    const t = n.textContent.trim();
    if (!t) continue;
    const el = n.parentElement;
    if (!el || el.closest('[translate="no"], script, style, [lang="zh-CN"], textarea, option')) continue;
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
    out.push(t);
  }
  for (const el of document.querySelectorAll('input[placeholder], [aria-label], [title]')) {
    if (el.closest('[translate="no"]')) continue;
    for (const a of ['placeholder', 'aria-label', 'title']) { const v = el.getAttribute(a); if (v) out.push(v); }
  }
  return out;
}"""
WIDTH_JS = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
AXE_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                target: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@dataclass
class RoleFigures:
    role: str
    pages: list[str] = field(default_factory=list)
    loads: int = 0
    overflow: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.role:<11} pages {len(self.pages):>3}  loads {self.loads:>3}  overflow {len(self.overflow)}  "
            f"axe serious/critical {len(self.axe)}  console errors {len(self.console)}  "
            f"untranslated {len(self.untranslated)}  "
            f"server/403 errors {len(self.errors)}"
        )


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[str]:
    import uvicorn

    from zhijiao.api.app import create_app

    db = tmp_path_factory.mktemp("demo-browser") / "zhijiao.db"
    shutil.copy(sqlite_template, db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(database_url=f"sqlite:///{db}", secret_key=TEST_SECRET, demo=True, base_url=base)
    platform = Platform(settings)
    build_demo(platform, scale="small", seed=7)
    server = uvicorn.Server(
        uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn 未能启动"
        time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(10)
    platform.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def summary() -> Iterator[list[RoleFigures]]:
    found: list[RoleFigures] = []
    yield found
    if found:
        OUT.mkdir(parents=True, exist_ok=True)
        text = "\n".join(f.line() for f in found)
        (OUT / "summary.txt").write_text(text + "\n", encoding="utf-8")
        print("\n" + text)


def _context(browser: Any, viewport: dict[str, int], lang: str) -> Any:
    phone = viewport["width"] < 500
    context = browser.new_context(viewport=viewport, is_mobile=phone, device_scale_factor=2 if phone else 1,
                                  locale="zh-CN")  # fmt: skip
    context.add_cookies([{"name": "zhijiao_lang", "value": lang, "url": "http://127.0.0.1"}])
    return context


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/signin")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()
    page.wait_for_load_state()


def _links(page: Any, base: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:")):
            continue
        parts = urlsplit(href)
        if parts.netloc and f"{parts.scheme}://{parts.netloc}" != base:
            continue
        if parts.path.startswith(("/api/", "/static/", "/docs")) or parts.path.endswith((".pdf", ".xlsx")):
            continue
        if "format=" in parts.query or parts.path.endswith("/download"):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _discover(page: Any, base: str, username: str) -> list[str]:
    """The role's navigation, then one page of each kind linked from those pages."""
    _sign_in(page, base, username)
    nav = list(dict.fromkeys([urlsplit(page.url).path, *_links(page, base, "[data-testid=nav] a")]))
    pages = list(nav)
    seen_kinds: set[str] = set()
    for path in nav:
        page.goto(base + path)
        for link in _links(page, base, "main a"):
            path_only = link.split("?")[0]
            for kind in DETAIL_KINDS:
                if kind not in seen_kinds and re.match(kind, path_only) and link not in pages:
                    seen_kinds.add(kind)
                    pages.append(link)
    return pages


def _check(page: Any, base: str, path: str, width: str, lang: str, figures: RoleFigures) -> Any:
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    response = page.goto(base + path)
    figures.loads += 1
    status = response.status if response else 0
    where = f"{path} @{width} {lang}"
    if status >= 500 or status == 403:
        figures.errors.append(f"{where}: HTTP {status}")
    wide = page.evaluate(WIDTH_JS)
    if wide > int(width):  # the device's width, not innerWidth (a phone may zoom out to fit)
        figures.overflow.append(f"{where}: {wide} px > {width} px")
    page.add_script_tag(path=str(AXE))
    for v in page.evaluate(AXE_JS):
        figures.axe.append(f"{where}: {v['impact']} {v['id']} ×{v['nodes']} {v['target']}")
    if lang == "en":
        left = sorted({t for t in page.evaluate(UNTRANSLATED_JS) if CJK.search(t)})
        figures.untranslated.extend(f"{where}: {t[:80]}" for t in left)
    figures.console.extend(f"{where}: {c[:160]}" for c in console if "favicon" not in c)
    return response


def _shot(page: Any, username: str, path: str, width: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9]+", "-", path.strip("/")) or "home"
    page.screenshot(path=str(OUT / f"{username}-{name[:60]}-{width}.png"), full_page=True)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_role(
    browser: Any, demo_site: str, summary: list[RoleFigures], username: str
) -> None:
    base = demo_site
    figures = RoleFigures(username)
    summary.append(figures)
    context = _context(browser, DESKTOP, "zh")
    try:
        figures.pages = _discover(context.new_page(), base, username)
    finally:
        context.close()
    for viewport, width in ((DESKTOP, "1366"), (PHONE, "390")):
        for lang in ("zh", "en"):
            context = _context(browser, viewport, lang)
            try:
                page = context.new_page()
                _sign_in(page, base, username)
                for i, path in enumerate(figures.pages):
                    p = context.new_page()
                    _check(p, base, path, width, lang, figures)
                    if lang == "zh" and i < 6:
                        _shot(p, username, path, width)
                    p.close()
            finally:
                context.close()
    detail = {
        "overflow": figures.overflow, "axe": figures.axe, "console": figures.console,
        "untranslated": figures.untranslated, "errors": figures.errors,
    }  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{username}.json").write_text(json.dumps({"pages": figures.pages, **detail}, ensure_ascii=False,
                                                     indent=1), encoding="utf-8")  # fmt: skip
    assert len(figures.pages) >= 4, figures.pages
    problems = {k: v for k, v in detail.items() if v}
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)[:6000]


def test_public_pages(browser: Any, demo_site: str, summary: list[RoleFigures]) -> None:
    figures = RoleFigures("public")
    summary.append(figures)
    figures.pages = ["/", "/signin", "/verify", "/plans"]
    for viewport, width in ((DESKTOP, "1366"), (PHONE, "390")):
        for lang in ("zh", "en"):
            context = _context(browser, viewport, lang)
            try:
                for path in figures.pages:
                    p = context.new_page()
                    _check(p, demo_site, path, width, lang, figures)
                    if lang == "zh":
                        _shot(p, "public", path, width)
                    p.close()
            finally:
                context.close()
    problems = {k: v for k, v in vars(figures).items() if k in ("overflow", "axe", "console", "untranslated",
                                                                  "errors") and v}  # fmt: skip
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)[:6000]


def test_the_checks_find_what_they_look_for(browser: Any, demo_site: str) -> None:
    """The same checks on a page made to fail them: overflow, an image without text, a button
    without a name, Chinese left in English mode — so a clean result above means something."""
    context = _context(browser, PHONE, "en")
    try:
        page = context.new_page()
        page.goto(f"{demo_site}/signin")
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main><div style="width:900px">wide</div>'
            '<img src="/static/none.png"><button></button><p>未翻译</p>'
            '<p translate="no">张三</p></main></body></html>'
        )
        assert page.evaluate(WIDTH_JS) > PHONE["width"]
        page.add_script_tag(path=str(AXE))
        found = {v["id"] for v in page.evaluate(AXE_JS)}
        assert {"image-alt", "button-name"} <= found, found
        left = [t for t in page.evaluate(UNTRANSLATED_JS) if CJK.search(t)]
        assert left == ["未翻译"], left
    finally:
        context.close()


def test_on_a_phone_the_precheck_is_near_the_top_and_checkboxes_sit_beside_their_text(
    browser: Any, demo_site: str
) -> None:
    context = _context(browser, PHONE, "zh")
    try:
        page = context.new_page()
        _sign_in(page, demo_site, "learner1")
        page.goto(f"{demo_site}/conversion/apply")
        page.locator("input[name=target_courses]").first.check()
        page.locator("input[name=outcome_ids]").first.check()
        page.locator("button[value=precheck]").first.click()
        page.wait_for_load_state()
        top = page.evaluate("document.querySelector('[data-testid=precheck]').getBoundingClientRect().top")
        assert top < PHONE["height"], f"the pre-check result starts {top} px down"
        assert page.evaluate(WIDTH_JS) <= PHONE["width"]
        _shot(page, "learner1", "conversion-apply-precheck", "390")
        page.goto(f"{demo_site}/me/credentials")
        offsets = page.eval_on_selector_all(
            "label.check",
            "els => els.map(l => Math.abs(l.querySelector('input').getBoundingClientRect().top"
            " - l.getBoundingClientRect().top))",
        )
        assert offsets and max(offsets) < 12, offsets
    finally:
        context.close()
