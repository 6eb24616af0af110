"""The whole build: validate data → execute the stale notebooks → Jupyter Book → publish the HTML.

A failed build leaves the last good `_build/html` untouched. One build runs at a time in a project
(`pnmce.book.lock`); it starts by removing what a killed build left behind.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import yaml

from pnmce.book.css_purge import StaleInput, purge_book
from pnmce.book.datapackage import PackageError, write_package
from pnmce.book.downloads import write_downloads
from pnmce.book.lock import WAIT, BuildBusy, build_lock, remove_leftovers
from pnmce.book.pdf import PdfError, print_pdf
from pnmce.book.sphinx_run import output_dir
from pnmce.data import load_valid_catalogue
from pnmce.data.observed import observed_until, observed_years
from pnmce.data.package import Catalogue, read_catalogue
from pnmce.edition import step as edition_step
from pnmce.edition.publish import edition_html, edition_pdf
from pnmce.edition.record import edition_table
from pnmce.execute import inputs
from pnmce.execute.executor import Executor, Job, LocalExecutor, Outcome
from pnmce.execute.plan import plan
from pnmce.fileio import write_if_changed
from pnmce.metrics.digest import write_digest
from pnmce.metrics.edition import digest_name, table_path
from pnmce.paths import Project
from pnmce.present.findings import write_findings
from pnmce.present.report_downloads import write_report_files
from pnmce.provenance import commit_id, sha
from pnmce.swap import swap_in

INCOMPLETE = ".incompleta"  # in the staging folder while Sphinx runs
PURGED_CSS = "estilos-depurados"  # in the staging folder: the purged stylesheets of the last builds


class BuildError(Exception):
    """A build step failed; the message is for the user, in Spanish."""


@dataclass(frozen=True)
class BuildResult:
    edition: int
    outcomes: list[Outcome]
    html: Path
    pdf: Path | None = None


def default_edition(project: Project, cat: Catalogue) -> int:
    """The latest year with observed data; the baseline year when there is none."""
    years = observed_years(project.data)
    return years[-1] if years else int(cat.indicadores["linea_base_anio"].dropna().max())


def write_data_files(project: Project, cat: Catalogue, edition: int, table: pd.DataFrame) -> list[Path]:
    """Downloads, the edition's table (`edition_table`, computed once per build) and the source's
    quality-control findings; returns the downloads it deleted (of indicators no longer in the catalogue).

    The edition digest goes to the downloads only; the edition record (`ediciones/AAAA/`) is
    written by `pnmce.edition.step.finish` once the whole build has succeeded.
    """
    removed = write_downloads(cat, project.static, observed_until(project.data, edition))
    write_if_changed(table_path(project.generated, edition), table.to_csv(index=False, lineterminator="\n").encode())
    write_digest(table, project.downloads / digest_name(edition))
    write_report_files(cat, project.data, project.downloads, edition, project.generated, table)  # CSV, Excel
    write_findings(read_catalogue(project.data, corrections=False), project.downloads / "control-calidad.csv")
    try:
        write_package(project.downloads, cat, edition, project.data)  # datapackage.json, after every download
    except PackageError as exc:
        raise BuildError(str(exc)) from None
    return removed


def jobs_for(project: Project, cat: Catalogue, edition: int) -> list[Job]:
    """Every planned run as a job, with only the parameters its template declares."""
    jobs = []
    for run in plan(cat, edition, data_dir=project.data):
        template = project.notebooks / run.template
        declared = inputs.template_parameters(template)
        params = {k: v for k, v in run.parameters.items() if k in declared}
        jobs.append(Job(run, template, project.generated / f"{run.output}.ipynb", project.root, params))
    return jobs


def stale_jobs(project: Project, cat: Catalogue, jobs: list[Job]) -> tuple[list[Job], dict[str, dict]]:
    """The jobs whose own recorded inputs changed (with the reasons), and each template's static inputs."""
    current = inputs.Inputs(project, cat)
    statics: dict[str, dict] = {}
    stale = []
    for job in jobs:
        if job.run.template not in statics:
            statics[job.run.template] = inputs.static_inputs(job.template, project.root / "requirements.lock")
        old = inputs.read_record(inputs.record_path(job.output))
        why = inputs.reasons(old, job.output.is_file(), job.parameters, statics[job.run.template], current)
        if why:
            stale.append(replace(job, reasons=tuple(why)))
    return stale, statics


def execute_notebooks(project: Project, cat: Catalogue, edition: int, executor: Executor) -> list[Outcome]:
    """Execute the stale runs; write each notebook only when its bytes change, then its record."""
    jobs = jobs_for(project, cat, edition)
    stale, statics = stale_jobs(project, cat, jobs)
    ran = {o.job.run.key: o for o in executor.execute(stale)}
    failed = [o for o in ran.values() if o.status == "error"]
    if failed:
        lines = [f"  - notebooks/{o.job.run.template} → {o.job.run.output}: {o.error}" for o in failed]
        raise BuildError("Falló la ejecución de cuadernos:\n" + "\n".join(lines))
    current = inputs.Inputs(project, cat)
    for o in ran.values():
        write_if_changed(o.job.output, o.notebook.encode("utf-8"))
        record = inputs.make_record(o.job.run.template, o.job.parameters, statics[o.job.run.template],
                                    current.all(list(o.read)))
        inputs.write_record(inputs.record_path(o.job.output), record)
    return [ran.get(job.run.key) or Outcome(job, "sin cambios") for job in jobs]


def remove_unplanned(project: Project, jobs: list[Job]) -> list[Path]:
    """Delete generated notebooks (and their records) that the plan no longer contains."""
    keep = {job.output for job in jobs} | {inputs.record_path(job.output) for job in jobs}
    removed = []
    for path in sorted(project.generated.rglob("*")):
        if (path.suffix == ".ipynb" or path.name.endswith(inputs.RECORD_SUFFIX)) and path not in keep:
            path.unlink()
            removed.append(path)
    return removed


def provenance_env(project: Project, cat: Catalogue, edition: int) -> dict[str, str]:
    """What the page footer shows (read by `pnmce.book.sphinx_offline`). Provenance lives in the
    book layer, so that a new commit re-executes no notebook."""
    return {"PNMCE_EDICION": str(edition), "PNMCE_DATOS": cat._digest, "PNMCE_COMMIT": commit_id(project.root)}


def navigation_digest(project: Project, jobs: list[Job]) -> str:
    """Digest of what every page's navigation shows: the generated pages with their titles, the
    TOC and the headings of the written pages (see `pnmce.book.sphinx_offline`)."""
    def headings(path: Path) -> str:
        return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))

    parts = [project.toc.read_text(encoding="utf-8")]
    parts += [f"{j.run.output}|{sorted(j.parameters.items())}|{headings(j.template)}" for j in jobs]
    parts += [f"{page.relative_to(project.book).as_posix()}|{headings(page)}" for page in sorted(project.book.rglob("*.md"))
              if project.generated not in page.parents]
    return sha("\n".join(parts))


def jupyter_book(project: Project, builder: str = "html", env: dict[str, str] | None = None,
                 clean: bool = False, jobs: int | None = None) -> Path:
    """Run Jupyter Book (Sphinx, in parallel: `pnmce.book.sphinx_run`) into the staging folder; return
    the folder it wrote. `jobs` defaults to the cores available.

    `clean` starts from an empty staging folder: Sphinx never deletes the pages of removed documents."""
    staging = project.build / ".staging"
    incomplete = staging / INCOMPLETE
    if clean or incomplete.exists():  # a run killed mid-way leaves an environment that cannot be trusted
        shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True, exist_ok=True)
    incomplete.touch()
    cmd = [sys.executable, "-m", "pnmce.book.sphinx_run", str(project.book), "--config", str(project.config),
           "--toc", str(project.toc), "--salida", str(staging), "--constructor", builder]
    if jobs is not None:
        cmd += ["--trabajos", str(jobs)]
    # The subprocess imports this same `pnmce` (module and Sphinx extensions), not another installed one.
    src = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    proc = subprocess.run(cmd, cwd=project.root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": path, **(env or {})})
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)  # never reuse an environment from a failed run
        log = (proc.stdout + proc.stderr).strip().splitlines()
        raise BuildError("Jupyter Book terminó con errores o advertencias:\n" + "\n".join(log[-40:]))
    incomplete.unlink()
    return output_dir(staging, builder)


def purge_stylesheets(project: Project, html: Path) -> dict[str, tuple[int, int]]:
    """The theme's and extensions' stylesheets of the staging tree `html`, without the rules its pages
    cannot use (`pnmce.book.css_purge`); the book's own stylesheets (`book/_static`) stay as written."""
    own = {f"_static/{p.name}" for p in project.static.glob("*.css")}
    try:
        return purge_book(html, project.build / ".staging" / PURGED_CSS, keep=own)
    except StaleInput as exc:
        raise BuildError(str(exc)) from None


def one_at_a_time(func):
    """Run a build of `project` holding its build lock (waiting up to `wait` seconds for another
    build), after removing the leftovers of a killed build."""
    @functools.wraps(func)
    def locked(project: Project, *args, wait: float | None = WAIT, **kwargs):
        try:
            with build_lock(project.build, wait):
                remove_leftovers(project)
                return func(project, *args, **kwargs)
        except BuildBusy as exc:
            raise BuildError(str(exc)) from None
    return locked


@one_at_a_time
def build(project: Project, edition: int | None = None, executor: Executor | None = None,
          pdf: bool = False) -> BuildResult:
    cat = load_valid_catalogue(project.data)
    edition = edition or default_edition(project, cat)
    table = edition_table(cat, project.data, project.editions, edition)
    record = edition_step.prepare(project, cat, edition, table)  # the record, the changes page, the switcher
    removed = write_data_files(project, cat, edition, table)
    outcomes = execute_notebooks(project, cat, edition, executor or LocalExecutor())
    removed += remove_unplanned(project, [o.job for o in outcomes])
    env = {**provenance_env(project, cat, edition),
           "PNMCE_NAVEGACION": navigation_digest(project, [o.job for o in outcomes])}
    html = jupyter_book(project, env=env, clean=bool(removed))
    purge_stylesheets(project, html)
    latest = edition_step.is_latest(project, edition)  # _build/html stays the latest edition
    if latest:
        swap_in(html, project.html)
    # the edition's PDF, its record (ediciones/AAAA/) and its folder in _build/ediciones/
    printed = None
    if pdf:
        single = jupyter_book(project, "singlehtml", env=env)
        toc = yaml.safe_load(project.toc.read_text(encoding="utf-8"))
        try:
            printed = print_pdf(single, toc, edition_pdf(project.build, edition), edition)
        except PdfError as exc:
            raise BuildError(str(exc)) from None
    edition_step.finish(project, record, html)
    return BuildResult(edition, outcomes, project.html if latest else edition_html(project.build, edition), printed)
