"""The whole build: validate data → execute notebooks → Jupyter Book → swap in the new HTML.

A failed build leaves the last good `_build/html` untouched.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

import pnmce
from pnmce.book.assets import write_static
from pnmce.book.downloads import write_downloads
from pnmce.book.pdf import PdfError, print_pdf
from pnmce.catalogue.qc import write_findings
from pnmce.data import load_valid_catalogue
from pnmce.data.observed import observed_until, observed_years
from pnmce.data.package import Catalogue, read_catalogue
from pnmce.execute.executor import Executor, Job, LocalExecutor, Outcome, job_digest
from pnmce.execute.plan import plan
from pnmce.fileio import write_if_changed
from pnmce.metrics.compliance import write_digest
from pnmce.metrics.edition import digest_name, edition_table, table_path, write_table
from pnmce.paths import Project


class BuildError(Exception):
    """A build step failed; the message is for the user, in Spanish."""


@dataclass(frozen=True)
class BuildResult:
    edition: int
    outcomes: list[Outcome]
    html: Path
    pdf: Path | None = None


def code_digest() -> str:
    """Hash of the package's own source, so that a code change re-executes notebooks."""
    h = hashlib.sha256()
    root = Path(pnmce.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yml", ".json") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def default_edition(project: Project, cat: Catalogue) -> int:
    """The latest year with observed data; the baseline year when there is none."""
    years = observed_years(project.data)
    return years[-1] if years else int(cat.indicadores["linea_base_anio"].dropna().max())


def inputs_outside_package(project: Project, edition: int) -> str:
    """Hash of the inputs the data package does not list: observed values, the method, and the
    digests of earlier editions (not this edition's own, which the build writes)."""
    paths = [*sorted((project.data / "observado").glob("*")), *sorted((project.data / "metodo").glob("*"))]
    paths += [p for p in sorted(project.editions.glob("seguimiento-*.csv")) if p.stem < f"seguimiento-{edition}"]
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:12]


def write_data_files(project: Project, cat: Catalogue, edition: int) -> None:
    """Downloads and the source's quality-control findings, into the book's static files.

    The edition digest goes to the downloads only; `store_edition_digest` copies it to
    `ediciones/` once the whole build has succeeded.
    """
    write_downloads(cat, project.static, observed_until(project.data, edition))
    table = edition_table(cat, project.data, project.editions, edition)
    write_table(table, table_path(project.generated, edition))
    write_digest(table, project.static / "datos" / digest_name(edition))
    write_findings(read_catalogue(project.data, corrections=False), project.static / "datos" / "control-calidad.csv")


def store_edition_digest(project: Project, edition: int) -> None:
    """Keep the edition's digest in `ediciones/` (committed, so editions diff in git)."""
    built = (project.static / "datos" / digest_name(edition)).read_bytes()
    write_if_changed(project.editions / digest_name(edition), built)


def commit_id(root: Path) -> str:
    """Short commit of the checkout, `+cambios` when the tree differs from it; `sin git` outside git."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if not (root / ".git").exists():
        return "sin git"
    head = git("rev-parse", "--short=12", "HEAD")
    if head.returncode != 0:
        return "sin git"
    # Untracked files count (a new data/observado/AÑO.csv after `importar`); ignored ones do not.
    dirty = git("status", "--porcelain", "--untracked-files=normal").stdout.strip()
    return head.stdout.strip() + ("+cambios" if dirty else "")


def jobs_for(project: Project, cat: Catalogue, edition: int) -> list[Job]:
    inputs = cat.digest + code_digest() + inputs_outside_package(project, edition)
    jobs = []
    for run in plan(cat, edition, commit_id(project.root)):
        template = project.notebooks / run.template
        jobs.append(Job(run, template, project.generated / f"{run.output}.ipynb", project.root,
                        job_digest(run, template, inputs)))
    return jobs


def execute_notebooks(project: Project, cat: Catalogue, edition: int, executor: Executor) -> list[Outcome]:
    outcomes = executor.execute(jobs_for(project, cat, edition))
    failed = [o for o in outcomes if o.status == "error"]
    if failed:
        lines = [f"  - notebooks/{o.job.run.template} → {o.job.run.output}: {o.error}" for o in failed]
        raise BuildError("Falló la ejecución de cuadernos:\n" + "\n".join(lines))
    return outcomes


def jupyter_book(project: Project, builder: str = "html") -> Path:
    """Run Jupyter Book into the staging folder; return the folder it wrote."""
    staging = project.build / ".staging"
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe), "build", str(project.book), "--config", str(project.config), "--toc", str(project.toc),
           "--path-output", str(staging), "--builder", builder, "-W", "-n", "--keep-going", "--quiet"]
    proc = subprocess.run(cmd, cwd=project.root, capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)  # never reuse an environment from a failed run
        log = (proc.stdout + proc.stderr).strip().splitlines()
        raise BuildError("Jupyter Book terminó con errores o advertencias:\n" + "\n".join(log[-40:]))
    return staging / "_build" / builder


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with a copy of `new`, never leaving a half-written tree."""
    fresh = target.with_name(target.name + ".nuevo")
    old = target.with_name(target.name + ".anterior")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(new, fresh)
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def pdf_path(project: Project, edition: int) -> Path:
    return project.build / "pdf" / f"pnmce-edicion-{edition}.pdf"


def build(project: Project, edition: int | None = None, executor: Executor | None = None,
          pdf: bool = False) -> BuildResult:
    cat = load_valid_catalogue(project.data)
    edition = edition or default_edition(project, cat)
    write_static(project.static)
    write_data_files(project, cat, edition)
    outcomes = execute_notebooks(project, cat, edition, executor or LocalExecutor())
    html = jupyter_book(project)
    swap_in(html, project.html)
    store_edition_digest(project, edition)
    printed = None
    if pdf:
        toc_root = yaml.safe_load(project.toc.read_text(encoding="utf-8"))["root"]
        try:
            printed = print_pdf(jupyter_book(project, "singlehtml"), toc_root, pdf_path(project, edition))
        except PdfError as exc:
            raise BuildError(str(exc)) from None
    return BuildResult(edition, outcomes, project.html, printed)
