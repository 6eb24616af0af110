"""The whole pipeline, built into temporary copies of the project."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pnmce.book.build import BuildError, build, provenance_env
from pnmce.data import load_valid_catalogue
from pnmce.errors import InputError
from pnmce.execute.executor import LocalExecutor
from tests.books import chart_specs, local_clock

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("build")]


def _toc_files(toc: dict) -> list[str]:
    """Every `file` entry of the TOC (glob entries are checked by the indicator and service tests)."""
    files = [toc["root"]]

    def walk(entries):
        for e in entries:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections", []))
    walk(toc["chapters"])
    return files


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_toc_page_is_built(built):
    project, result = built
    assert result.edition == 2024
    toc = yaml.safe_load(project.toc.read_text())
    missing = [f for f in _toc_files(toc) if not (project.html / f"{f}.html").is_file()]
    assert not missing
    assert (project.html / "index.html").is_file()


def test_title_page_states_the_edition(built):
    project, _ = built
    html = (project.html / "generado" / "portada.html").read_text()
    assert "edición 2024" in html


def test_outcome_indicator_pages_have_one_chart_per_indicator(built, catalogue):
    project, _ = built
    pages = {p: p.read_text() for p in (project.html / "generado" / "cap4" / "4-1").glob("op*.html")}
    assert len(pages) == len(catalogue.objetivos)
    drawn = "".join(pages.values())
    for ident in catalogue.indicadores.query("nivel == 'objetivo'")["id"]:
        assert f'alt="Gráfico del indicador {ident},' in drawn, ident
    assert drawn.count('class="pnmce-grafico"') == 8


def test_every_chart_of_the_book_is_valid_vega_lite(built):
    import jsonschema
    from altair.vegalite.v6.schema import load_schema

    project, _ = built
    validator = jsonschema.Draft7Validator(load_schema())
    specs = [spec for _, spec in chart_specs(project.html)]
    assert len(specs) > 100
    problems = {spec["description"]: e.message for spec in specs for e in validator.iter_errors(spec)}
    assert problems == {}


def test_no_page_references_anything_external(built):
    project, _ = built
    external = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["'](?:https?:)?//""", re.I)
    font = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I)
    offenders = []
    for path in project.html.rglob("*"):
        if path.suffix in (".html", ".css"):
            text = path.read_text(errors="replace")
            if external.search(text) or font.search(text):
                offenders.append(str(path.relative_to(project.html)))
    assert not offenders


@pytest.fixture
def built_copy(built, tmp_path):
    project, _ = built
    dest = tmp_path / "libro"
    shutil.copytree(project.root, dest, symlinks=True)
    return type(project)(dest)


def test_failed_notebook_keeps_the_last_good_book(built_copy):
    project = built_copy
    before = _tree(project.html)
    template = project.notebooks / "objetivo.md"
    template.write_text(template.read_text().replace("page.objective_summary(", "page.no_such_function("))
    with pytest.raises(BuildError, match="Falló la ejecución de cuadernos"):
        build(project, executor=LocalExecutor(workers=1, progress=False))
    assert _tree(project.html) == before


def test_bad_data_keeps_the_last_good_book(built_copy):
    project = built_copy
    before = _tree(project.html)
    metas = project.data / "catalogo" / "metas.csv"
    metas.write_text(metas.read_text().replace("OP1.1,2026,", "OP1.1,20x6,", 1))
    with pytest.raises(InputError, match="metas.csv, fila 3, columna «anio»"):
        build(project, executor=LocalExecutor(workers=1, progress=False))
    assert _tree(project.html) == before


def test_generated_matrices_and_quality_annex(built, catalogue):
    project, _ = built
    gen = project.html / "generado"
    consistency = (gen / "cap7" / "7-4-matriz-de-consistencia.html").read_text()
    for service in catalogue.servicios["id"]:
        assert f">{service}<" in consistency, service
    assert "Tabla 36" in consistency and "CD3" in consistency
    # the full finding-by-finding list is in the maintainers' annex; readers get the corrections and the
    # data given twice, one table per rule, numbered on their own page (not «Tabla 7.341»)
    qc = (gen / "notas" / "notas-tecnicas.html").read_text().replace("\u00a0", " ")
    assert "101/190 = 53,2 %" in qc and "QC01" in qc
    notes = (gen / "notas" / "notas-sobre-los-datos.html").read_text().replace("\u00a0", " ")
    assert "QC01" not in notes and "Correcciones aplicadas" in notes and "Datos que la política publica" in notes
    numbers = re.findall(r'<span class="caption-number">Tabla (\S+?)\s*</span>', notes)
    assert numbers and all(n.rstrip(".").isdigit() and int(n.rstrip(".")) <= 10 for n in numbers), numbers
    services = sorted(p.stem for p in (gen / "cap4" / "4-3-1").glob("*.html"))
    assert services == sorted(catalogue.servicios["id"])
    lineamientos = (gen / "cap4" / "4-2-lineamientos.html").read_text()
    assert re.search(r'<span class="std std-numref">Tabla\s+4\.\d+</span>', lineamientos)  # a resolved {numref}


def test_one_page_per_indicator_with_chart_and_downloads(built, catalogue):
    project, _ = built
    pages = {p.stem: p.read_text() for p in (project.html / "generado" / "indicadores").glob("*.html")}
    assert sorted(pages) == sorted(catalogue.indicadores["id"])
    has_targets = set(catalogue.metas["indicador"])
    for ident, html in pages.items():
        assert f"{ident} —" in html
        assert f"_static/datos/indicadores/{ident}.csv" in html and f"_static/datos/indicadores/{ident}.json" in html
        assert (project.html / "_static" / "datos" / "indicadores" / f"{ident}.json").is_file()
        if ident in has_targets:
            assert html.count('class="pnmce-grafico"') == 1, ident
        else:  # the sheet has no data: the page says so in one line (the recipe is in the maintainers' annex)
            assert "pnmce-grafico" not in html and "no trae línea base ni logros esperados" in html, ident
    assert "<math" in pages["S5.4.1-cal"]  # the formula, as MathML

    # every field of the policy's sheet, the justification as our summary; none the sheet lacks
    summaries = catalogue.justificaciones.set_index("indicador")["resumen"]
    stated = set(catalogue.indicadores.loc[catalogue.indicadores["periodicidad"].fillna("") != "", "id"])
    for ident, html in pages.items():
        assert "Justificación (resumen)" in html and _html_text(summaries[ident]) in html, ident
        assert "No indicada" not in html
        assert ("<p>Periodicidad</p>" in html) == (ident in stated), ident  # the sheet's row, not other text


def _html_text(text: str) -> str:
    import html

    return html.escape(text, quote=False)


@pytest.mark.parametrize("ident", ["OP1.1", "OP4.1", "S2.3.1-cob", "S3.5.1-cob2", "S5.2.5-cal"])
def test_downloaded_series_equals_the_catalogue(built, catalogue, ident):
    import csv

    project, _ = built
    with open(project.html / "_static" / "datos" / "indicadores" / f"{ident}.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["tipo"] != "valor_obtenido"]
    metas = catalogue.metas[catalogue.metas["indicador"] == ident].sort_values("anio")
    assert [int(r["anio"]) for r in rows] == metas["anio"].tolist()
    assert [float(r["valor"]) for r in rows] == pytest.approx(metas["valor"].astype(float).tolist())
    for r, num in zip(rows, metas["numerador"]):
        assert (r["numerador"] == "") == bool(pd.isna(num))
        if r["numerador"]:
            assert float(r["numerador"]) == pytest.approx(float(num))


def test_index_links_every_indicator(built, catalogue):
    project, _ = built
    html = (project.html / "generado" / "cap7" / "7-5-fichas-tecnicas.html").read_text()
    for ident in catalogue.indicadores["id"]:
        assert f'href="../indicadores/{ident}.html"' in html, ident
    assert 'class="sortable' in html or "sortable" in html
    assert (project.html / "_static" / "datos" / "series.csv").is_file()
    assert (project.html / "_static" / "datos" / "datapackage.json").is_file()  # published with the downloads


def test_default_edition_is_the_baseline_year(built, catalogue):
    project, result = built
    assert result.edition == 2024
    digest = (project.editions / "2024" / "resumen.csv").read_text(encoding="utf-8").splitlines()
    assert len(digest) == 93
    # obtained = published baseline: a baseline, not scored against itself (no avance, no traffic light)
    assert all(line.split(",")[6] == "línea base" and line.split(",")[4] == "" for line in digest[1:])
    page = (project.html / "generado" / "cap5" / "reporte-seguimiento.html").read_text()
    assert "Línea base 2024 y metas" in page and "verde" not in page


def test_visible_text_has_no_backslash_before_punctuation(built):
    """Text escaped twice shows `Eje 4\\:` or `\\%`: no page's visible text may contain one."""
    import html as html_lib

    project, _ = built
    offenders = {}
    for path in sorted(project.html.rglob("*.html")):
        article = re.search(r"<article.*?</article>", path.read_text(), re.S)
        if not article:
            continue
        body = re.sub(r"<(script|style|code|math)\b.*?</\1>", "", article.group(0), flags=re.S)
        text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
        found = re.findall(r".{0,20}\\[!-/:-@\[-`{-~]", text)
        if found:
            offenders[str(path.relative_to(project.html))] = found[:3]
    assert not offenders


# --- incremental builds: only what a change requires, and the same bytes as a clean build ---

def _copy_built(project, dest: Path):
    shutil.copytree(project.root, dest, symlinks=True)
    return type(project)(dest)


def _set_cell(path: Path, key: str, column: str, value: str) -> None:
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    [row] = [r for r in rows if r[fields[0]] == key]
    row[column] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _remove_service(data: Path, service: str) -> None:
    """Drop a service and every row naming it or its indicators (and its activities' rows)."""
    import csv

    gone = {service}

    def names(cell: str) -> bool:
        return cell in gone or cell.startswith(service + "-")

    for path in sorted((data / "catalogo").glob("*.csv")) + sorted((data / "observado").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        dropped = [r for r in rows[1:] if any(names(c) for c in r)]
        if path.name == "actividades.csv":
            gone |= {r[0] for r in dropped}
        if dropped:
            with open(path, "w", newline="", encoding="utf-8") as f:
                csv.writer(f, lineterminator="\n").writerows([r for r in rows if r not in dropped])


def _mtimes(html: Path) -> dict[str, int]:
    return {p.relative_to(html).as_posix(): p.stat().st_mtime_ns for p in html.rglob("*.html")}


def _executed(result) -> dict[str, tuple[str, ...]]:
    """Each executed run's output, with the reasons `--explicar` prints."""
    return {o.job.run.output: o.job.reasons for o in result.outcomes if o.status == "ejecutado"}


@pytest.fixture(scope="session")
def changed_in_sequence(built, tmp_path_factory):
    """The session's built book copied to another folder and rebuilt unchanged (twice), then changed
    three times, rebuilt incrementally after each change. Also returns the HTML files in which the
    unchanged rebuild of the copy differs from the original, and the pages Sphinx wrote again in
    the second unchanged rebuild."""
    project = _copy_built(built[0], tmp_path_factory.mktemp("libro-incremental") / "libro")
    run = LocalExecutor(workers=2, progress=False)
    executed = {"copia": _executed(build(project, executor=run))}
    original, copied = _tree(built[0].html), _tree(project.html)
    html_differences = sorted(k for k in original.keys() | copied.keys() if original.get(k) != copied.get(k))
    staging = project.build / ".staging" / "_build" / "html"
    written = _mtimes(staging)
    executed["sin cambios"] = _executed(build(project, executor=run))
    rewritten = sorted(k for k, t in _mtimes(staging).items() if written.get(k) != t)
    _set_cell(project.data / "observado" / "2024.csv", "OP1.2", "valor", "21500")
    executed["valor"] = _executed(build(project, executor=run))
    _set_cell(project.data / "catalogo" / "indicadores.csv", "S2.3.1-cob", "nombre", "Cobertura del servicio (renombrado)")
    executed["nombre"] = _executed(build(project, executor=run))
    _remove_service(project.data, "S5.4.1")
    executed["servicio"] = _executed(build(project, executor=run))
    return project, executed, {"html": html_differences, "reescritas": rewritten}


def test_a_copied_built_book_rebuilds_nothing_and_gives_the_same_html(changed_in_sequence):
    """A built book copied to another folder is current there: nothing re-executes, the same HTML bytes."""
    _, executed, unchanged = changed_in_sequence
    assert executed["copia"] == {}
    assert unchanged["html"] == []


def test_an_unchanged_rebuild_rewrites_only_the_pages_it_must(changed_in_sequence):
    """Sphinx rewrites only the glossary it re-reads (`pnmce.book.sphinx_offline`), the pages whose
    table of contents lists it, and the pages Sphinx writes on every build (index, search, and the
    entry page that leads to the home page): not every page with a table."""
    _, executed, unchanged = changed_in_sequence
    assert executed["sin cambios"] == {}
    assert set(unchanged["reescritas"]) <= {"generado/cap6/6-1-glosario.html", "cap6/index.html",
                                            "generado/portada.html", "genindex.html", "search.html", "index.html"}


def test_one_observed_value_reexecutes_only_the_pages_that_show_it(changed_in_sequence):
    _, executed, _ = changed_in_sequence
    # The status page reads the year's observed rows (which indicators reported), so it follows too.
    # The baseline edition's report shows the published baselines (catalogue), not the observed file.
    # The home page states the edition's status in one line, from the whole monitoring table.
    assert set(executed["valor"]) == {"indicadores/OP1.2", "cap7/7-5-fichas-tecnicas", "cap5/estado-reporte",
                                      "portada"}
    assert executed["valor"]["indicadores/OP1.2"] == ("cambió la serie de seguimiento de OP1.2 hasta 2024",
                                                      "cambiaron los valores observados de OP1.2 hasta 2024",
                                                      "cambió el seguimiento de OP1.2 en 2024")
    # A renamed indicator: the pages that read the indicators table, not those that do not.
    assert "indicadores/S2.3.1-cob" in executed["nombre"] and "cap6/6-2-acronimos" not in executed["nombre"]
    assert "cap4/4-3-servicios" in executed["servicio"] and "cap6/6-2-acronimos" not in executed["servicio"]


def test_removed_service_leaves_no_page_notebook_or_download(changed_in_sequence):
    project, _, _ = changed_in_sequence
    leftovers = [p for p in [*project.generated.rglob("*S5.4.1*"), *project.html.rglob("*S5.4.1*"),
                             *project.static.rglob("*S5.4.1*")]]
    assert leftovers == []
    assert (project.html / "generado" / "cap4" / "4-3-1" / "S5.3.2.html").is_file()


def test_incremental_build_equals_a_clean_build(changed_in_sequence, tmp_path):
    """After three changes, the incrementally rebuilt book equals a clean build of the same inputs made
    in another folder on another local day: notebooks, records, downloads and every HTML byte."""
    project, _, _ = changed_in_sequence
    clean = type(project)(tmp_path / "limpio")
    for name in ("data", "notebooks", "book", "ediciones", "_config.yml", "_toc.yml"):
        src = project.root / name
        if src.is_dir():
            shutil.copytree(src, clean.root / name, ignore=shutil.ignore_patterns("generado", "datos"))
        else:
            shutil.copy2(src, clean.root / name)
    with local_clock("Etc/GMT+12"):  # another folder and, for the clock, another day than `built`
        build(clean, executor=LocalExecutor(workers=2, progress=False))
    html_a, html_b = _tree(project.html), _tree(clean.html)
    assert sorted(html_a) == sorted(html_b)
    assert [k for k in html_a if html_a[k] != html_b[k]] == []
    assert _tree(project.generated) == _tree(clean.generated)  # notebooks and their records
    assert _tree(project.static / "datos") == _tree(clean.static / "datos")


def test_a_commit_without_content_change_reexecutes_nothing(built, tmp_path):
    import subprocess

    from pnmce.book.build import jobs_for, stale_jobs

    project = _copy_built(built[0], tmp_path / "libro")
    git = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    (project.root / ".gitignore").write_text("_build/\nbook/generado/\nbook/_static/datos/\n")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "uno"]):
        subprocess.run(["git", *args], cwd=project.root, check=True, env=git)
    (project.root / "README.md").write_text("otro commit\n")
    for args in (["add", "-A"], ["commit", "-qm", "dos"]):
        subprocess.run(["git", *args], cwd=project.root, check=True, env=git)
    cat = load_valid_catalogue(project.data)
    jobs = jobs_for(project, cat, 2024)
    assert all("commit" not in j.parameters for j in jobs)
    assert not any("edicion" in j.parameters for j in jobs if j.run.template == "glosario.md")
    stale, _ = stale_jobs(project, cat, jobs)
    assert stale == []
    assert provenance_env(project, cat, 2024)["PNMCE_COMMIT"] not in ("sin git", "")


def test_footer_states_provenance_and_no_date(built):
    project, _ = built
    html = (project.html / "generado" / "portada.html").read_text()
    assert 'class="pnmce-procedencia"' in html and "versión de los datos <code>" in html
    assert '<code class="pnmce-commit">' in html  # filled by the shared script, which names the commit
    commit = provenance_env(project, load_valid_catalogue(project.data), 2024)["PNMCE_COMMIT"]
    assert json.dumps(commit) in (project.html / "_static" / "procedencia.js").read_text(encoding="utf-8")
    assert "Actualizado por última vez" not in html
    assert "?v=" not in html
