"""The argument of chapters 2-3: text templates with numbers from data, facts as data, the problem tree,
reader pages without maintainer text."""

from __future__ import annotations

import re
import shutil

import pytest

from pnmce.book.numbering import CHART
from pnmce.data.package import read_catalogue
from pnmce.present import diagnosis as dx
from pnmce.present import diagnosis_text as dt
from pnmce.present import problem_tree

PROBLEM = "Insuficiente desarrollo del comercio exterior en el país"
DIRECT = ("CD1", "CD2", "CD3", "CD4", "CD5")
_ROLE = re.compile(r"\{[a-z:]+\}`[^`]*`")


def plain(text: str) -> str:
    """Prose only: no roles, no escapes, no MyST targets or emphasis marks."""
    text = _ROLE.sub("", text).replace("\\", "").replace("\u00a0", " ")
    return re.sub(r"^\(.*\)=$", "", text, flags=re.M).replace("**", "")


def words(text: str) -> int:
    return len(re.findall(r"[^\W\d_]+", plain(text)))


def numbers(text: str) -> int:
    return len(re.findall(r"\d+(?:[ ,]\d+)*", plain(text)))


def page_text(cat, cd: str, folder=None) -> str:
    keys = [cd, *cat.causas.loc[cat.causas["padre"] == cd, "id"]]
    return "\n\n".join(dt.render(cat, k, folder) or "" for k in keys)


# --- the argument -----------------------------------------------------------------------------------

@pytest.mark.parametrize("cd", DIRECT)
def test_each_direct_cause_page_opens_with_an_argument_and_its_evidence(catalogue, cd):
    opening = dt.render(catalogue, cd)
    assert 300 <= words(opening) <= 800, words(opening)
    page = page_text(catalogue, cd)
    assert numbers(page) >= 8
    assert len(re.findall(r"\{numref\}`", page)) >= 3
    # every indirect cause has its own paragraph: a claim in bold, then the argument
    for ci in catalogue.causas.loc[catalogue.causas["padre"] == cd, "id"]:
        text = dt.render(catalogue, ci)
        assert text and text.startswith("**") and words(text) >= 50, ci


def test_the_problem_is_named_as_published_and_delimited(catalogue):
    assert problem_tree.public_problem(catalogue) == PROBLEM
    text = dt.render(catalogue, "3.1")
    assert f"«{PROBLEM}»" in text
    for heading in ("## El problema público", "## A quién afecta", "## Dimensión internacional y nacional"):
        assert heading in text
    flat = plain(text)
    assert "3 318" in flat and "6 453" in flat and "144 091" in flat  # consolidated, sporadic, target mipymes


def test_chapter_2_and_3_pages_have_text(catalogue):
    for key in ("2-bienes", "2-servicios", "2-balanza", "3.1", "3.2", "3.3", "3.4", "3.5", "7.2"):
        assert words(dt.render(catalogue, key)) >= 45, key


# --- numbers and wording from the data -----------------------------------------------------------------

def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_new_value_in_a_copy_of_the_data_rewrites_the_sentence(data_copy):
    before = plain(dt.render(read_catalogue(data_copy.data), "CD1"))
    assert "subieron hasta US$ 74 518 millones en 2024" in before
    # tests/fixtures rule: values below are made up, in a temporary copy of data/
    _edit(data_copy.data / "diagnostico" / "observaciones.csv",
          "IL15,9,Perú,,2024,Exportaciones de bienes,74518,", "IL15,9,Perú,,2024,Exportaciones de bienes,30000,")
    _edit(data_copy.data / "diagnostico" / "hechos.csv", "ocex_oficinas,CI1.4,Oficinas comerciales del Perú en el exterior (OCEX),30,",
          "ocex_oficinas,CI1.4,Oficinas comerciales del Perú en el exterior (OCEX),31,")
    cat = read_catalogue(data_copy.data)
    after = plain(dt.render(cat, "CD1"))
    assert "bajaron hasta US$ 30 000 millones en 2024" in after and "74 518" not in after
    assert "El país tiene 31 oficinas comerciales" in plain(dt.render(cat, "CI1.4"))


def test_a_fact_removed_from_the_data_stops_the_page(catalogue):
    facts = catalogue.diagnostico_hechos
    cat = type(catalogue)({**catalogue.tables, "diagnostico_hechos": facts[facts["id"] != "ocex_oficinas"]},
                          catalogue.digest, catalogue.descriptor)
    with pytest.raises(KeyError, match="data/diagnostico/hechos.csv"):
        dt.render(cat, "CI1.4")


def test_an_analyst_edits_the_template_not_python(catalogue, project, tmp_path):
    folder = tmp_path / "textos"
    shutil.copytree(project.notebooks / "textos", folder)
    path = folder / "CD4.md.j2"
    text = path.read_text(encoding="utf-8")
    block = text.index("{% block CI4_2 %}")
    path.write_text(text[:block] + '{% block CI4_2 %}\nHay {{ dato("IL66", "Perú", "2024", "Empresas en las ZEE")|num }} '
                    "empresas en las zonas.\n{% endblock %}\n" + text[text.index("{% block CI4_3 %}"):], encoding="utf-8")
    assert dt.render(catalogue, "CI4.2", folder) == "Hay 161 empresas en las zonas."
    assert dt.render(catalogue, "CI4.3", folder) == dt.render(catalogue, "CI4.3")


def test_wording_follows_the_data():
    assert dt.trend_verb(1, 2) == "creció" and dt.trend_verb(2, 1) == "cayó" and dt.trend_verb(1, 1) == "se mantuvo"
    assert dt.compared(3.8, 4.03, "por encima del", "por debajo del") == "por debajo del"
    assert dt.hours(1908) == "31 horas y 48 minutos" and dt.hours(60) == "1 hora"
    assert dt.number_word(5) == "cinco" and dt.number_word(20) == "20"


# --- facts as data ------------------------------------------------------------------------------------

def test_running_text_facts_have_provenance_citations_and_are_used(project, catalogue):
    facts = catalogue.diagnostico_hechos
    assert len(facts) >= 60 and facts["id"].is_unique
    assert facts["procedencia"].str.contains(r"\[L\d+\]").all()
    assert facts["seccion"].str.fullmatch(r"3\.[1-5]|C[DI]\d(\.\d)?").all()
    from tests.conftest import bibliography_keys

    keys = bibliography_keys(project.data)
    cited = set(facts["cita"][facts["cita"] != ""]) | set(catalogue.diagnostico_fuentes["cita"][catalogue.diagnostico_fuentes["cita"] != ""])
    assert cited and cited <= keys, cited - keys
    templates = "".join(p.read_text(encoding="utf-8") for p in (project.notebooks / "textos").glob("*.md.j2"))
    unused = [i for i in facts["id"] if f'"{i}"' not in templates]
    assert unused == []
    # the facts the issue names
    f = facts.set_index("id")["valor"]
    assert f["exportadoras_esporadicas_2024"] == 6453 and f["ocex_oficinas"] == 30 and f["ocex_economias"] == 26
    assert f["compromisos_inversion_2023"] == 106.7 and f["empresas_captadas_2023"] == 180 and f["gii_puesto_2023"] == 76


def test_years_print_as_years(catalogue):
    table = dx.data_table(catalogue, "T05").text
    assert "1969" in table and "1\u00a0969" not in table and "1 969" not in table
    assert "rige desde 1969" in dt.render(catalogue, "CI1.5")


# --- reader pages ---------------------------------------------------------------------------------------

MAINTAINER = re.compile(r"data/|\.csv|\bL\d{2,}\b|líneas? L|`fuente|documento convertido|columna", re.I)


def test_chapter_2_and_3_pages_carry_no_maintainer_text(catalogue):
    keys = set(catalogue.diagnostico_fuentes["seccion"]) | {"3.2", "3.4", "3.5"}
    for key in sorted(keys - {"introduccion"}):
        outputs = [dt.narrative(catalogue, key), *dx.section_items(catalogue, key)]
        for out in outputs:
            if out is None:
                continue
            text = out.text if hasattr(out, "text") else out._repr_mimebundle_()["text/plain"]
            assert not MAINTAINER.search(text), (key, MAINTAINER.search(text).group(0), text[:200])
            assert "admonition" not in text


def test_source_lines_cite_the_bibliography(catalogue):
    assert "{cite:p}`sunatsf`" in dx.source_line(catalogue, "IL01").text
    assert "{cite:p}`bancomundial2023`" in dx.source_line(catalogue, "T01").text
    assert "cite:p" not in dx.source_line(catalogue, "T08").text  # BCRP statistics: no entry in the bibliography


# --- the problem tree ------------------------------------------------------------------------------------

def test_the_problem_tree_is_drawn_from_the_catalogue(catalogue):
    fig = dx.figure(catalogue, "IL17")
    html = fig._repr_mimebundle_()["text/html"]
    assert html.startswith(CHART) and 'id="figura-diagnostico-il17"' in html  # numbered and cited as a figure
    assert "<svg" in html and "<script" not in html  # vector, no JavaScript: prints as it is
    for name in [PROBLEM, *catalogue.causas["nombre"], *catalogue.objetivos["id"]]:
        assert name in problem_tree.description(catalogue)
    svg = problem_tree.svg(catalogue)
    assert 'viewBox="0 0 360 ' in svg  # narrow: readable on a phone without zooming
    for name in catalogue.causas["nombre"]:  # every word of every cause is drawn
        assert set(name.split()) <= set(re.findall(r"[^<>\s]+", re.sub(r"<[^>]+>", " ", svg).replace("&quot;", '"')))
    assert dx.cite(catalogue, "IL17") == "{numref}`figura-diagnostico-il17`"
    # its caption names the policy's figure, and its source line sits under it, as every chart's
    assert "(Ilustración 17 de la política)" in html and '<p class="pnmce-fuente">Fuente: ' in html
    assert dx.section_items(catalogue, "3.2")[0] is not None


def test_tables_we_hold_are_also_charted(catalogue):
    """The CD5 tables (management levels, regional competitiveness) are drawn after the table."""
    from pnmce.present.charts import OfflineChart

    items = dx.section_items(catalogue, "CI5.2")
    charts_ = [i for i in items if isinstance(i, OfflineChart)]
    assert [c.label for c in charts_] == ["figura-diagnostico-t19", "figura-diagnostico-t20"]
    assert "Tabla 19 de la política" in charts_[0].description and "Gestión Digital 2024: 54,1" in charts_[0].description
    assert dx.cite(catalogue, "T19") == "{numref}`tabla-diagnostico-t19`"  # the text still cites the table


def test_glossary_terms_are_linked_once_per_page(catalogue):
    linked: set = set()
    texts = [dt.narrative(catalogue, k, linked=linked).text for k in ("CD4", "CI4.1", "CI4.2", "CI4.3")]
    roles = re.findall(r"\{term\}`[^`]*<([^>]*)>`", "\n".join(texts))
    assert roles and len(roles) == len(set(roles)) and set(roles) == linked
    assert "Zonas económicas especiales" in linked
    # without a page set, each section links its own first occurrence
    assert "{term}`" in dt.narrative(catalogue, "CI4.3").text


def test_terms_after_an_escaped_dollar_are_linked(catalogue):
    """`US\\$ 23 190 … US\\$ 74 518` is not a math span: the glossary terms between them are linked."""
    from pnmce.present.reference import link_terms

    text = link_terms(catalogue, "Un saldo de US\\$ 5 porque las exportaciones superan US\\$ 3.")
    assert "{term}`exportaciones <Exportaciones>`" in text
    assert "{term}`" in dt.narrative(catalogue, "2-balanza").text
    assert link_terms(catalogue, "La fórmula $exportaciones$ queda igual.") == "La fórmula $exportaciones$ queda igual."
