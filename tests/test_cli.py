"""The command line speaks Spanish, also in Click's own messages, and refuses before writing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pnmce.cli import main


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize(("args", "phrase"), [
    (["build", "--nope"], "Error: No existe la opción «--nope»."),
    (["nada"], "Error: No existe el comando «nada»."),
    (["importar"], "Error: Falta el argumento 'ARCHIVO'."),
    (["importar", "no-existe.csv", "--edicion", "2026"], "Archivo «no-existe.csv» no existe."),
    (["build", "--edicion", "dos mil"], "Valor no válido para '--edicion': «dos mil» no es un número entero válido."),
    (["plantilla", "2026", "extra"], "Argumento adicional no esperado (extra)"),
])
def test_click_errors_in_spanish(args, phrase):
    result = run(*args)
    assert result.exit_code == 2
    assert phrase in result.output
    assert "Uso: " in result.output and "para ver la ayuda" in result.output
    for english in ("Usage:", "Error: No such", "Missing", "does not exist", "Try '", "is not a valid"):
        assert english not in result.output


def test_option_without_its_value():
    result = run("build", "--edicion")
    assert result.exit_code == 2 and "Error: La opción «--edicion» requiere un valor." in result.output


def test_help_in_spanish():
    result = run("--ayuda")
    assert result.exit_code == 0 and "[OPCIONES] COMANDO [ARGUMENTOS]..." in result.output
    assert "Opciones:" in result.output and "Comandos:" in result.output


def test_import_of_a_year_outside_the_horizon_writes_nothing(data_copy, tmp_path):
    filled = tmp_path / "valores.csv"
    filled.write_text("indicador;valor_obtenido\nOP1.1;24100\n", encoding="utf-8")
    env = {"PNMCE_ROOT": str(data_copy.root)}
    (data_copy.root / "_config.yml").write_text("", encoding="utf-8")
    before = sorted(p.name for p in (data_copy.data / "observado").iterdir())
    result = run("importar", str(filled), "--edicion", "2050", env=env)
    assert result.exit_code == 1
    assert "la edición 2050 está fuera del horizonte de la política (2024–2040)" in result.output
    assert "No se guardó nada." in result.output
    assert sorted(p.name for p in (data_copy.data / "observado").iterdir()) == before
    assert run("validate", env=env).exit_code == 0


def test_todas_builds_one_edition_per_year_with_data_oldest_first(tmp_path, monkeypatch):
    """`--todas`: every year of data/observado/, in order, with the same executor; not with --edicion."""
    import pnmce.book.build as book_build
    import pnmce.cli as cli
    from pnmce.paths import Project

    project = Project(tmp_path)
    (project.data / "observado").mkdir(parents=True)
    for year in (2026, 2025):
        (project.data / "observado" / f"{year}.csv").write_text("indicador,anio\n", encoding="utf-8")
    built, executors, waits = [], set(), set()

    def fake_build(project_, year, executor, pdf=False, wait=None):
        built.append(year)
        executors.add(id(executor))
        waits.add(wait)
        return book_build.BuildResult(year, [], project_.html)

    monkeypatch.setattr(cli, "_project", lambda: project)
    monkeypatch.setattr(book_build, "build", fake_build)
    result = run("build", "--todas", "--espera", "5")
    assert result.exit_code == 0, result.output
    assert built == [2025, 2026] and len(executors) == 1 and waits == {5}
    assert result.output.count("Edición 2025:") == 1 and result.output.count("Edición 2026:") == 1

    result = run("build", "--todas", "--edicion", "2025")
    assert result.exit_code != 0 and "Use --edicion o --todas, no ambas." in result.output
    for path in (project.data / "observado").glob("*.csv"):
        path.unlink()
    result = run("build", "--todas")
    assert result.exit_code != 0 and "No hay datos observados en data/observado/" in result.output
    assert built == [2025, 2026]


def test_build_makes_the_pdf_unless_told_sin_pdf(tmp_path, monkeypatch):
    """`pnmce build` (and so `make book`) prints the edition's PDF; `--sin-pdf` builds only the HTML."""
    import pnmce.book.build as book_build
    import pnmce.cli as cli
    from pnmce.paths import Project

    project = Project(tmp_path)
    asked = []

    def fake_build(project_, year, executor, pdf=False, wait=None):
        asked.append(pdf)
        return book_build.BuildResult(2024, [], project_.html, project_.build / "x.pdf" if pdf else None)

    monkeypatch.setattr(cli, "_project", lambda: project)
    monkeypatch.setattr(book_build, "build", fake_build)
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "PDF en " in result.output
    result = run("build", "--sin-pdf")
    assert result.exit_code == 0, result.output
    assert "PDF en " not in result.output
    assert asked == [True, False]
