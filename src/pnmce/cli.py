"""The `pnmce` command. Messages are in Spanish; errors exit non-zero without a traceback."""

from __future__ import annotations

import os
import sys

import click

from pnmce.errors import InputError
from pnmce.paths import find_project


class _Spanish:
    """Click's own words (usage line, section titles, help option) in Spanish."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Muestra esta ayuda y sale."
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Uso: ")

    def format_options(self, ctx, formatter):
        rows = [r for p in self.get_params(ctx) if (r := p.get_help_record(ctx))]
        if rows:
            with formatter.section("Opciones"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [(n, self.get_command(ctx, n)) for n in self.list_commands(ctx)]
            with formatter.section("Comandos"):
                formatter.write_dl([(n, c.get_short_help_str(60)) for n, c in commands if c])


class Command(_Spanish, click.Command):
    pass


class Group(_Spanish, click.Group):
    command_class = Command


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


@click.group(cls=Group, help="Libro reproducible de la Política Nacional Multisectorial de Comercio Exterior al 2040.",
             context_settings={"help_option_names": ["-h", "--ayuda"]})
@click.version_option(package_name="pnmce", message="pnmce %(version)s", help="Muestra la versión y sale.")
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
@click.option("--pdf", is_flag=True, help="Produce además el PDF (_build/pdf/), impreso con chromium.")
@click.option("--explicar", is_flag=True, help="Dice por qué se ejecutó cada cuaderno.")
@click.option("--cluster", metavar="tcp://HOST:PUERTO", default=None,
              help="Ejecuta los cuadernos en un clúster de Dask (cada trabajador con su propio núcleo).")
def build(edicion: int | None, trabajos: int, pdf: bool, explicar: bool, cluster: str | None) -> None:
    from pnmce.book.build import BuildError, build as run_build
    from pnmce.execute.executor import LocalExecutor

    project = _project()
    try:
        if cluster:
            from pnmce.execute.dask_executor import DaskExecutor

            executor = DaskExecutor(cluster)
        else:
            executor = LocalExecutor(trabajos)
        result = run_build(project, edicion, executor, pdf=pdf)
    except (InputError, BuildError) as exc:
        _fail(f"{exc}\nNo se modificó la última construcción válida ({project.html}).")
    except OSError as exc:  # e.g. a cluster that cannot be reached
        _fail(f"No se pudo conectar con el clúster {cluster}: {exc}")
    done = sum(o.status == "ejecutado" for o in result.outcomes)
    if explicar:
        for o in result.outcomes:
            if o.status == "ejecutado":
                click.echo(f"{o.job.run.output}: " + "; ".join(o.job.reasons))
    click.echo(f"Edición {result.edition}: {done} cuaderno(s) ejecutado(s), "
               f"{len(result.outcomes) - done} sin cambios. Libro en {result.html / 'index.html'}")
    if result.pdf:
        click.echo(f"PDF en {result.pdf}")


@main.command(help="Escribe la plantilla de valores obtenidos de un año (Excel y CSV).")
@click.argument("anio", type=int, metavar="AÑO")
@click.option("--salida", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Carpeta donde se escriben plantilla-AÑO.xlsx y plantilla-AÑO.csv.")
def plantilla(anio: int, salida: str) -> None:
    from pathlib import Path

    from pnmce.data import load_valid_catalogue
    from pnmce.metrics import load_method, write_template

    project = _project()
    try:
        cat = load_valid_catalogue(project.data)
        paths = write_template(cat, anio, Path(salida), load_method(project.data))
    except InputError as exc:
        _fail(exc.render())
    click.echo("Plantilla escrita: " + ", ".join(str(p) for p in paths))


@main.command(help="Valida un archivo de valores obtenidos (xlsx o csv) y lo guarda en data/observado/AÑO.csv.")
@click.argument("archivo", type=click.Path(exists=True, dir_okay=False))
@click.option("--edicion", type=int, required=True, help="Año de seguimiento al que corresponden los valores.")
@click.option("--reemplazar", is_flag=True, help="Reemplaza todo el año en lugar de combinar con lo ya importado.")
def importar(archivo: str, edicion: int, reemplazar: bool) -> None:
    from pathlib import Path

    from pnmce.data import load_valid_catalogue
    from pnmce.metrics import import_observed, load_method

    project = _project()
    try:
        cat = load_valid_catalogue(project.data)
        result = import_observed(Path(archivo), edicion, cat, load_method(project.data), project.data,
                                 replace=reemplazar)
    except InputError as exc:
        _fail(exc.render() + "\nNo se guardó nada.")
    click.echo(result.message())


def _project():
    try:
        return find_project()
    except FileNotFoundError as exc:
        _fail(str(exc))
