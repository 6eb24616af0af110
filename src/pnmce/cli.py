"""The `pnmce` command. Messages are in Spanish; errors exit non-zero without a traceback."""

from __future__ import annotations

import os
import sys

import click

from pnmce.cli_spanish import install as _spanish_click_messages
from pnmce.errors import InputError
from pnmce.paths import find_project

_spanish_click_messages()  # before the commands below are declared


class _Spanish:
    """Click's own words (usage line, section titles, help option) in Spanish."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPCIONES]")
        if issubclass(type(self), click.Group):
            kwargs.setdefault("subcommand_metavar", "COMANDO [ARGUMENTOS]...")
        super().__init__(*args, **kwargs)

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


@main.command(help="Construye el libro completo: HTML en _build/html y, por edición, "
                   "HTML y PDF en _build/ediciones/AÑO/.")
@click.option("--edicion", type=int, default=None,
              help="Año de seguimiento de la edición (por defecto, el último con datos observados).")
@click.option("--todas", is_flag=True, help="Construye una edición por cada año con datos observados.")
@click.option("--verificar", is_flag=True,
              help="No construye: comprueba que los registros de ediciones/ coinciden con lo que producen los datos.")
@click.option("--trabajos", type=int, default=min(2, os.cpu_count() or 1), show_default=True,
              help="Cuadernos ejecutados en paralelo.")
@click.option("--pdf/--sin-pdf", default=True,
              help="Produce también, por omisión, el libro en PDF (_build/ediciones/AÑO/pnmce-2040-AÑO.pdf); "
                   "--sin-pdf construye solo el HTML.")
@click.option("--explicar", is_flag=True, help="Dice por qué se ejecutó cada cuaderno.")
@click.option("--cluster", metavar="tcp://HOST:PUERTO", default=None,
              help="Ejecuta los cuadernos en un clúster de Dask (cada trabajador con su propio núcleo).")
@click.option("--espera", type=float, default=3600, metavar="SEGUNDOS",
              help="Cuánto espera a que termine otra construcción en curso en esta carpeta antes de desistir "
                   "(por omisión, 3600).")
def build(edicion: int | None, todas: bool, verificar: bool, trabajos: int, pdf: bool, explicar: bool,
          cluster: str | None, espera: float) -> None:
    from pnmce.book.build import BuildError
    from pnmce.book.build import build as run_build
    from pnmce.execute.executor import LocalExecutor

    project = _project()
    if verificar:
        _verify(project, edicion)
        return
    if todas and edicion is not None:
        _fail("Use --edicion o --todas, no ambas.")
    if todas:
        from pnmce.edition.dates import years_with_data
        years = years_with_data(project)
        if not years:
            _fail("No hay datos observados en data/observado/: no hay ediciones que construir.")
    else:
        years = [edicion]
    if cluster:
        from pnmce.execute.dask_executor import DaskExecutor
        try:
            executor = DaskExecutor(cluster)
        except OSError as exc:  # a cluster that cannot be reached
            _fail(f"No se pudo conectar con el clúster {cluster}: {exc}")
    else:
        executor = LocalExecutor(trabajos)
    for year in years:
        try:
            result = run_build(project, year, executor, pdf=pdf, wait=espera)
        except (InputError, BuildError) as exc:
            _fail(f"{exc}\nNo se modificó la última construcción válida ({project.html}).")
        except OSError as exc:
            _fail(f"No se pudo completar la construcción: {exc}")
        done = sum(o.status == "ejecutado" for o in result.outcomes)
        if explicar:
            for o in result.outcomes:
                if o.status == "ejecutado":
                    click.echo(f"{o.job.run.output}: " + "; ".join(o.job.reasons))
        click.echo(f"Edición {result.edition}: {done} cuaderno(s) ejecutado(s), "
                   f"{len(result.outcomes) - done} sin cambios. Libro en {result.html / 'index.html'}")
        if result.pdf:
            click.echo(f"PDF en {result.pdf}")
    click.echo(f"Ediciones construidas: {project.build / 'ediciones' / 'index.html'}")


def _verify(project, edicion: int | None) -> None:
    from pnmce.edition.record import recorded_years, verify

    years = [edicion] if edicion is not None else recorded_years(project.editions)
    if not years:
        _fail(f"No hay registros de edición en {project.editions}.")
    try:
        problems = {year: verify(project, year) for year in years}
    except InputError as exc:
        _fail(exc.render())
    bad = {y: p for y, p in problems.items() if p}
    if bad:
        lines = []
        for year, found in bad.items():
            lines.append(f"La edición {year} registrada en ediciones/{year}/ no coincide con lo que producen los datos:")
            lines += [f"  - {p}" for p in found]
        lines.append("Reconstruya la edición (pnmce build --edicion AÑO) y confirme los cambios del registro.")
        _fail("\n".join(lines))
    click.echo("Registros al día: " + ", ".join(str(y) for y in years) + ".")


@main.command(help="Compara dos ediciones a partir de sus registros en ediciones/.")
@click.argument("anterior", type=int, metavar="A")
@click.argument("posterior", type=int, metavar="B")
@click.option("--formato", type=click.Choice(["texto", "csv", "json"]), default="texto", show_default=True,
              help="Formato de la salida.")
def diff(anterior: int, posterior: int, formato: str) -> None:
    from pnmce.edition.compare import as_csv, as_json, as_text, compare

    project = _project()
    try:
        comp = compare((project.editions, anterior), (project.editions, posterior))
    except FileNotFoundError as exc:
        _fail(str(exc))
    click.echo({"texto": as_text, "csv": as_csv, "json": as_json}[formato](comp), nl=False)


@main.command(help="Escribe la plantilla de valores obtenidos de un año (Excel y CSV).")
@click.argument("anio", type=int, metavar="AÑO")
@click.option("--salida", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Carpeta donde se escriben plantilla-AÑO.xlsx y plantilla-AÑO.csv.")
@click.option("--responsable", metavar="SIGLA", default=None,
              help="Solo los indicadores de una unidad responsable (su sigla, p. ej. DFCE).")
def plantilla(anio: int, salida: str, responsable: str | None) -> None:
    from pathlib import Path

    from pnmce.data import load_valid_catalogue
    from pnmce.data.template import write_template
    from pnmce.metrics import load_method
    from pnmce.metrics.responsible_units import indicators_of_unit, legend, load_units

    project = _project()
    try:
        cat = load_valid_catalogue(project.data)
        indicators = unit = None
        if responsable:
            units = load_units(project.data)
            indicators = indicators_of_unit(cat, units, responsable)
            if not indicators:
                _fail(f"No hay indicadores de la unidad «{responsable}». Siglas disponibles: "
                      + ", ".join(legend(units)["sigla"]) + ".")
            unit = next(s for s in legend(units)["sigla"] if s.casefold() == responsable.strip().casefold())
        paths = write_template(cat, anio, Path(salida), load_method(project.data), unit, indicators)
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
    from pnmce.data.intake import import_observed
    from pnmce.metrics import load_method

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
