"""Edition records (`ediciones/AAAA/`), their verification and `pnmce diff`, without building the book."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pandas as pd

from pnmce.edition.compare import as_text, compare
from pnmce.edition.record import FILES, edition_record, previous_observed, verify
from pnmce.paths import Project
from tests.conftest import FIXTURES, ROOT

RECORDS = FIXTURES / "ediciones"


def record_inputs(folder) -> Project:
    """A project in `folder` with what a record is computed from: data/ and requirements.lock."""
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copy(ROOT / "requirements.lock", folder / "requirements.lock")
    return Project(folder)


def pnmce(cwd, *args):
    return subprocess.run([sys.executable, "-m", "pnmce", *args], cwd=cwd, capture_output=True, text=True)


def test_diff_reports_exactly_what_the_fixtures_changed():
    comp = compare((RECORDS, 2025), (RECORDS, 2026))
    got = set(map(tuple, comp.changes[["seccion", "indicador", "anio", "campo", "antes", "ahora"]].values))
    assert got == {
        ("indicador", "X2", "", "valor_obtenido", "40", "20"),
        ("indicador", "X2", "", "avance", "80", "40"),
        ("indicador", "X2", "", "semaforo", "amarillo", "rojo"),
        ("alerta nueva", "X1", "", "alertas", "", "valor de 2025 revisado (antes 95, ahora 90)"),
        ("valor revisado", "X1", "2025", "valor", "95", "90"),
    }
    assert as_text(comp).splitlines()[2:4] == ["  Indicadores cuyo valor obtenido, avance o semáforo cambió: 1",
                                               "  Alertas nuevas: 1"]
    assert comp.counts() == {"indicador": 1, "alerta nueva": 1, "alerta resuelta": 0, "valor revisado": 1,
                             "catalogo": 0, "meta": 0}


def test_diff_sees_catalogue_and_target_changes(tmp_path):
    shutil.copytree(RECORDS, tmp_path / "ed")
    cat = tmp_path / "ed" / "2026" / "catalogo.csv"
    cat.write_text(cat.read_text(encoding="utf-8").replace("Indicador ficticio tres", "Indicador ficticio 3")
                   + "X4,OP2,,Indicador nuevo,Número,Ascendente\n", encoding="utf-8")
    metas = tmp_path / "ed" / "2026" / "metas.csv"
    metas.write_text(metas.read_text(encoding="utf-8").replace("X3,logro_esperado,2026,10", "X3,logro_esperado,2026,12"),
                     encoding="utf-8")
    c = compare((tmp_path / "ed", 2025), (tmp_path / "ed", 2026)).section("catalogo")
    assert set(map(tuple, c[["indicador", "campo", "antes", "ahora"]].values)) == {
        ("X3", "nombre", "Indicador ficticio tres", "Indicador ficticio 3"),
        ("X4", "indicador", "(no existe)", "Indicador nuevo")}
    m = compare((tmp_path / "ed", 2025), (tmp_path / "ed", 2026)).section("meta")
    assert m[["indicador", "anio", "antes", "ahora"]].values.tolist() == [["X3", "2026", "10", "12"]]


def test_diff_cli_prints_counts_first_and_machine_formats(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(RECORDS, project / "ediciones")
    (project / "data").mkdir()
    (project / "data" / "datapackage.json").write_text("{}")
    (project / "_config.yml").write_text("")
    text = pnmce(project, "diff", "2025", "2026")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Cambios de la edición 2025 a la edición 2026"
    assert lines[2] == "  Indicadores cuyo valor obtenido, avance o semáforo cambió: 1"
    assert "  - X2: valor obtenido: 40 → 20; avance: 80 → 40; semáforo: amarillo → rojo" in lines
    assert "  - X1 (2025), valor: 95 → 90" in lines
    as_csv_out = pnmce(project, "diff", "2025", "2026", "--formato", "csv").stdout
    assert len(pd.read_csv(io.StringIO(as_csv_out))) == 5
    data = json.loads(pnmce(project, "diff", "2025", "2026", "--formato", "json").stdout)
    assert data["conteos"]["valor revisado"] == 1 and len(data["cambios"]) == 5
    missing = pnmce(project, "diff", "2025", "2030")
    assert missing.returncode != 0 and "No existe el registro de la edición 2030" in missing.stderr


def test_committed_records_match_the_inputs():
    """`ediciones/` of the repository is what its data produce (what `pnmce build --verificar` checks)."""
    project = Project(ROOT)
    for year in [int(p.name) for p in (ROOT / "ediciones").iterdir() if p.name.isdigit()]:
        assert verify(project, year) == [], year


def test_record_is_plain_sorted_and_verifiable(tmp_path):
    project = record_inputs(tmp_path)
    record = edition_record(project, 2024)
    assert sorted(record.files) == sorted(FILES)
    summary = pd.read_csv(io.StringIO(record.files["resumen.csv"]), dtype=str, keep_default_na=False)
    assert summary["indicador"].tolist() == sorted(summary["indicador"])
    assert summary.loc[summary["indicador"] == "OP2.1", "valor_obtenido"].item() == "1.617"  # no 1,617
    manifest = json.loads(record.files["manifiesto.json"])
    assert sorted(manifest) == ["edicion", "entradas", "paquetes", "registro"]  # no code commit
    assert "data/observado/2024.csv" in manifest["entradas"]
    assert manifest["paquetes"]["pandas"]
    assert record == edition_record(project, 2024)  # no clock, no randomness
    record.write(project.editions)
    assert verify(project, 2024) == []
    # a changed input is seen
    obs = tmp_path / "data" / "observado" / "2024.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace("OP2.1,2024,1.617", "OP2.1,2024,1.7"), encoding="utf-8")
    problems = verify(project, 2024)
    assert any("resumen.csv" in p and "1.7" in p for p in problems)
    assert any("manifiesto.json" in p for p in problems)
    (tmp_path / "_config.yml").write_text("")
    out = pnmce(tmp_path, "build", "--verificar")
    assert out.returncode == 1 and "no coincide con lo que producen los datos" in out.stderr


def _git(cwd, *args) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": os.environ["PATH"]}
    return subprocess.run(["git", *args], cwd=cwd, check=True, env=env, capture_output=True, text=True).stdout


def test_a_commit_without_content_change_leaves_the_record_untouched(tmp_path):
    """The record is what the edition is, not the commit that built it: the build's record step
    (`prepare` then `finish`'s write), run again after a commit that changes no input, rewrites
    no byte, and a tree made dirty by a file outside the inputs does not show either."""
    from pnmce.data import load_valid_catalogue
    from pnmce.edition.record import edition_table
    from pnmce.edition.step import prepare

    project = record_inputs(tmp_path)
    cat = load_valid_catalogue(project.data)
    table = edition_table(cat, project.data, project.editions, 2024)
    (tmp_path / ".gitignore").write_text("book/\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "uno")
    prepare(project, cat, 2024, table).write(project.editions)
    folder = project.editions / "2024"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "registro")
    (tmp_path / "README.md").write_text("otro commit, sin cambio de contenido\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "dos")
    (tmp_path / "NOTAS.txt").write_text("archivo sin commit\n")  # a dirty tree
    prepare(project, cat, 2024, table).write(project.editions)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before
    assert _git(tmp_path, "status", "--porcelain", "--", "ediciones") == ""
    assert verify(project, 2024) == []


def test_prepare_records_the_table_it_is_given(tmp_path):
    """The build computes the edition table once; `prepare` records that table, not its own."""
    from pnmce.data import load_valid_catalogue
    from pnmce.edition.changes_page import PAGE
    from pnmce.edition.publish import SCRIPT
    from pnmce.edition.record import edition_table
    from pnmce.edition.step import prepare

    project = record_inputs(tmp_path)
    cat = load_valid_catalogue(project.data)
    table = edition_table(cat, project.data, project.editions, 2024)
    assert prepare(project, cat, 2024, table).files == edition_record(project, 2024).files
    assert (project.book / f"{PAGE}.md").is_file() and (project.static / SCRIPT).is_file()
    changed = table.assign(valor_obtenido=table["valor_obtenido"].where(table["indicador"] != "OP2.1", 9.5))
    summary = pd.read_csv(io.StringIO(prepare(project, cat, 2024, changed).files["resumen.csv"]), dtype=str)
    assert summary.loc[summary["indicador"] == "OP2.1", "valor_obtenido"].item() == "9.5"


def test_revision_alert_reads_the_earlier_record():
    prev = previous_observed(RECORDS, 2026)
    assert prev.to_dict(orient="records") == [{"indicador": "X1", "anio": 2025, "valor": 95.0},
                                              {"indicador": "X2", "anio": 2025, "valor": 40.0},
                                              {"indicador": "X3", "anio": 2025, "valor": 10.0}]
    assert previous_observed(RECORDS, 2025) is None


def test_changes_page_is_the_same_comparison():
    from pnmce.edition.changes_page import changes_markdown

    text = changes_markdown(2026, compare((RECORDS, 2025), (RECORDS, 2026)))
    assert text.startswith("# Cambios respecto a la edición anterior\n")
    assert "- Alertas nuevas: 1" in text and "- Alertas resueltas: 0" in text
    assert "## Valores observados de años anteriores revisados" in text
    assert "## Alertas resueltas" not in text  # sections without changes have no table
    assert ":name: tabla-cambios-1" in text and "  - rojo" in text
    assert "no hay una edición anterior" in changes_markdown(2024, None)


def test_reference_date_is_source_date_epoch_or_the_data_cut_off(monkeypatch):
    from pnmce.edition.dates import reference_datetime

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert reference_datetime(2026).isoformat() == "2026-12-31T00:00:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert reference_datetime(2026).isoformat() == "2023-11-14T22:13:20+00:00"
