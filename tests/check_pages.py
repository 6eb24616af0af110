"""axe-core over every page of the built book (a maintainers' check, not a test: prints figures).

Serves `_build/` from 127.0.0.1 and runs axe-core (npm, `npm ci`) in Debian's chromium, with the
WCAG 2.0/2.1 A and AA rules, on every HTML page of `_build/html` and on the editions index, at
1366 px (desktop) and at 390 px (phone). Prints the pages checked, the violations by rule and
impact (runs, pages and nodes affected), the
pages each serious or critical rule touches, and console errors and failed requests. `make test`
runs the same check on a sample (tests/test_pages.py); this one covers the whole book.

    .venv/bin/python tests/check_pages.py [--build _build] [--detalle] [--oscuro] [--solo RUTA ...]
                                          [--nu vnu.jar]

`--detalle` prints every serious or critical node (page, selector, axe's explanation); `--oscuro`
checks the pages in the theme's dark mode (a reader's choice, kept in the browser); `--solo` checks
only the pages whose path (under `_build/`) contains one of the given strings. Also prints, by
rule, what axe could not decide and leaves to a person ("por revisar", usually contrast over
images or gradients). `--nu` also validates the same pages, and the book's entry `index.html`,
with the W3C Nu HTML checker (npm package vnu-jar, run with Debian's java; not a dependency of the
project) and prints its errors by message.
Exits 1 when a serious or critical violation is found, or the Nu checker
finds an error.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import conftest  # noqa: E402,F401  (tests.books imports it; loaded first to keep the cycle sound)
from tests.books import DARK_MODE, DESKTOP, PHONE, axe_results, book_pages, chromium, serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SERIOUS = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")


def targets(build: Path) -> list[str]:
    """Every page of the book and the editions index, as paths under `build`."""
    html = build / "html"
    paths = [f"html/{p.relative_to(html).as_posix()}" for p in book_pages(html)]
    editions = build / "ediciones" / "index.html"
    return paths + (["ediciones/index.html"] if editions.is_file() else [])


def check(base: str, paths: list[str], dark: bool) -> tuple[list[dict], list[dict], list[str]]:
    """One row per violation found (viewport, page, rule, impact, nodes), one per rule axe could
    not decide, and the console errors."""
    rows, undecided, errors = [], [], []
    with chromium() as browser:
        for viewport in (DESKTOP, PHONE):
            width, height = viewport
            page = browser.new_page(viewport={"width": width, "height": height})
            if dark:
                page.add_init_script(DARK_MODE)
            current = {}
            page.on("console", lambda m: m.type == "error" and errors.append(f"{width}px {current['path']}: {m.text}"))
            page.on("pageerror", lambda e: errors.append(f"{width}px {current['path']}: {e}"))
            page.on("response", lambda r: r.status >= 400 and errors.append(f"{width}px {r.status} {r.url}"))
            for number, path in enumerate(paths, 1):
                current["path"] = path
                page.goto(f"{base}/{path}", wait_until="networkidle")
                result = axe_results(page)
                rows += [{"width": width, "path": path, **v} for v in result["violations"]]
                undecided += [{"width": width, "path": path, **v} for v in result["incomplete"]]
                if number % 25 == 0:
                    print(f"  {width} px: {number}/{len(paths)} páginas", file=sys.stderr, flush=True)
            page.close()
    return rows, undecided, errors


def by_rule(rows: list[dict]) -> list[tuple[str, dict]]:
    """Rules with their impact, runs (page × width), pages and nodes."""
    rules = defaultdict(lambda: {"impact": "", "help": "", "runs": 0, "pages": set(), "nodes": 0, "widths": set()})
    for row in rows:
        rule = rules[row["id"]]
        rule["impact"], rule["help"] = row["impact"] or "", row["help"]
        rule["runs"] += 1
        rule["pages"].add(row["path"])
        rule["widths"].add(row["width"])
        rule["nodes"] += len(row["nodes"])
    return sorted(rules.items(), key=lambda kv: (IMPACTS.index(kv[1]["impact"]) if kv[1]["impact"] in IMPACTS
                                                 else len(IMPACTS), -kv[1]["nodes"], kv[0]))


def table(rules: list[tuple[str, dict]]) -> None:
    print(f"{'regla':34} {'impacto':9} {'revisiones':>10} {'páginas':>8} {'nodos':>7}  anchos")
    for rule_id, rule in rules:
        widths = "/".join(str(w) for w in sorted(rule["widths"], reverse=True))
        print(f"{rule_id:34} {rule['impact']:9} {rule['runs']:>10} {len(rule['pages']):>8} {rule['nodes']:>7}  {widths}")
    if not rules:
        print("(ninguna)")


def _reason(text: str) -> str:
    """axe's explanation of a node without its figures (colours, ratios), so that nodes group."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Fix ")]
    return re.sub(r"#[0-9a-f]{6}|[0-9.]+(pt|px|:1)?", "…", lines[0] if lines else "")[:110]


def summary(rows: list[dict], undecided: list[dict], paths: list[str], errors: list[str], detail: bool) -> int:
    """Prints the figures; returns the number of serious or critical violations."""
    order = by_rule(rows)
    runs = len(paths) * 2
    print(f"\nPáginas revisadas: {len(paths)} (a {DESKTOP[0]} y {PHONE[0]} px: {runs} revisiones)")
    print(f"Revisiones con alguna infracción grave o crítica: "
          f"{len({(r['width'], r['path']) for r in rows if r['impact'] in SERIOUS})}")
    print("\nInfracciones (WCAG 2.0/2.1 A y AA):")
    table(order)
    print("\nPor revisar (axe no decide; una persona debe mirarlo):")
    table(by_rule(undecided))
    reasons = Counter((row["id"], _reason(n["summary"])) for row in undecided for n in row["nodes"])
    for (rule_id, reason), count in reasons.most_common(12):
        print(f"  {count:>6}  {rule_id}: {reason}")
    outside = 0
    for rule_id, rule in order:
        if rule["impact"] not in SERIOUS:
            continue
        print(f"\n{rule_id} ({rule['impact']}): {rule['help']}")
        for path in sorted(rule["pages"]):
            hits = [r for r in rows if r["id"] == rule_id and r["path"] == path]
            nodes = [n for r in hits for n in r["nodes"]]
            outside += len(nodes)
            where = ", ".join(f"{r['width']} px" for r in hits)
            print(f"  {path} ({where}): {len(nodes)} nodos")
            if detail:
                for r in hits:
                    for n in r["nodes"]:
                        print(f"    [{r['width']}] {n['target']}\n"
                              f"        {n['html']}\n        {n['summary'].replace(chr(10), ' / ')}")
    print(f"\nErrores de consola y peticiones fallidas: {len(errors)}")
    for line in sorted(set(errors))[:40]:
        print(f"  {line}")
    print(f"\nNodos graves o críticos: {outside}")
    return outside


def nu_errors(jar: Path, build: Path, paths: list[str]) -> int:
    """The W3C Nu checker's errors over the pages (and the redirecting `html/index.html`), printed
    by message; returns how many."""
    files = [build / p for p in ["html/index.html", *paths]]
    run = subprocess.run(["java", "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
                         capture_output=True, text=True)
    messages = [m for m in json.loads(run.stderr or '{"messages": []}')["messages"] if m["type"] != "info"]
    print(f"\nValidador W3C Nu ({len(files)} archivos): {len(messages)} errores")
    by_message = defaultdict(set)
    for m in messages:
        by_message[m["message"]].add(m["url"].split(str(build.resolve()) + "/", 1)[-1])
    for message, urls in sorted(by_message.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(urls):>4} páginas: {message[:140]}  (p. ej. {sorted(urls)[0]})")
    return len(messages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build")
    parser.add_argument("--detalle", action="store_true", help="cada nodo grave o crítico, con su explicación")
    parser.add_argument("--oscuro", action="store_true", help="las páginas en el modo oscuro del tema")
    parser.add_argument("--nu", type=Path, metavar="VNU_JAR", help="validar también con el validador W3C Nu")
    parser.add_argument("--solo", nargs="+", metavar="RUTA", help="solo las páginas cuya ruta contiene RUTA")
    args = parser.parse_args()
    paths = targets(args.build)
    if args.solo:
        paths = [p for p in paths if any(s in p for s in args.solo)]
    start = time.monotonic()
    with serve(args.build) as base:
        rows, undecided, errors = check(base, paths, args.oscuro)
    outside = summary(rows, undecided, paths, errors, args.detalle)
    invalid = nu_errors(args.nu, args.build, paths) if args.nu else 0
    print(f"Tiempo: {time.monotonic() - start:.0f} s")
    sys.exit(1 if outside or invalid else 0)


if __name__ == "__main__":
    main()
