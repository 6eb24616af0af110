"""The `pnmce` command. Messages are in Spanish; errors exit non-zero without a traceback."""

from __future__ import annotations

import os
import sys

import click

from pnmce.errors import InputError
from pnmce.paths import find_project


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


@click.group(help="Libro reproducible de la Política Nacional Multisectorial de Comercio Exterior al 2040.",
             context_settings={"help_option_names": ["-h", "--ayuda"]})
def main() -> None:
    pass


@main.command(help="Valida los datos de data/ (esquemas, claves y reglas de la política).")
def validate() -> None:
    from pnmce.data import validate_catalogue

    project = _project()
    problems = validate_catalogue(project.data)
    if problems:
        _fail(InputError(problems, "Los datos no son válidos").render())
    click.echo("Datos válidos.")


@main.command(help="Construye el libro completo (HTML en _build/html).")
@click.option("--edicion", type=int, default=None,
              help="Año de seguimiento de la edición (por defecto, el último con datos observados).")
@click.option("--trabajos", type=int, default=min(2, os.cpu_count() or 1), show_default=True,
              help="Cuadernos ejecutados en paralelo.")
def build(edicion: int | None, trabajos: int) -> None:
    from pnmce.book.build import BuildError, build as run_build
    from pnmce.execute.executor import LocalExecutor

    project = _project()
    try:
        result = run_build(project, edicion, LocalExecutor(trabajos))
    except (InputError, BuildError) as exc:
        _fail(f"{exc}\nNo se modificó la última construcción válida ({project.html}).")
    done = sum(o.status == "ejecutado" for o in result.outcomes)
    click.echo(f"Edición {result.edition}: {done} cuaderno(s) ejecutado(s), "
               f"{len(result.outcomes) - done} sin cambios. Libro en {result.html / 'index.html'}")


def _project():
    try:
        return find_project()
    except FileNotFoundError as exc:
        _fail(str(exc))
