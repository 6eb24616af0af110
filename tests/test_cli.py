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
