"""Regenerate the README's screenshots: `python -m browser_tests.readme_screenshots` writes one PNG per library.

For each backend it serves one variant (token mode where there is one), signs a new user up and logs in
through DRF's browsable forms in headless Chromium, exactly as the browser tests do, and saves the login
answer at 1000 px wide as docs/screenshots/<backend>.png. It stops at the first page that shows a problem,
so a screenshot is never taken of a broken page.
"""

from __future__ import annotations

import argparse
import sys

from browser_tests.browser import LAUNCH_ARGS, VIEWPORT, Watch, chromium_path, register_and_log_in
from harness.manifest import REPO_ROOT, Manifest, select_variants
from harness.server import run_server

DOCS = REPO_ROOT / "docs" / "screenshots"
SIZE_LIMIT = 150_000  # bytes: the README's images stay small in the repository


def one_variant_per_backend() -> dict[str, Manifest]:
    chosen: dict[str, Manifest] = {}
    for manifest in select_variants([]):
        if manifest.backend not in chosen or manifest.mode == "token":
            chosen[manifest.backend] = manifest
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backends", nargs="*", help="backends to shoot (default: all)")
    args = parser.parse_args(argv)
    path = chromium_path()
    if path is None:
        print("Chromium is not installed: `apt-get install -y chromium` (or set AUTHCMP_CHROMIUM)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    DOCS.mkdir(parents=True, exist_ok=True)
    variants = {b: m for b, m in one_variant_per_backend().items() if not args.backends or b in args.backends}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        for backend, manifest in variants.items():
            with run_server(manifest, profile="test") as server:
                context = browser.new_context(viewport=VIEWPORT)
                watch = Watch(server.base_url)
                watch.attach(context)
                page = context.new_page()
                register_and_log_in(page, manifest, server.base_url)
                if watch.problems():
                    print(f"{manifest.variant}: " + "; ".join(watch.problems()), file=sys.stderr)
                    return 1
                target = DOCS / f"{backend}.png"
                # Down to the end of DRF's content (answer and form): the page below it is empty background.
                main = page.locator("#content").bounding_box()
                clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": main["y"] + main["height"] + 24}
                page.screenshot(path=target, full_page=True, clip=clip)
                context.close()
            size = target.stat().st_size
            print(f"{target.relative_to(REPO_ROOT)}  {manifest.variant}  {size // 1000} kB")
            if size > SIZE_LIMIT:
                print(f"{target.name} is over {SIZE_LIMIT // 1000} kB", file=sys.stderr)
                return 1
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
