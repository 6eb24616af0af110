"""Number formats, escaping and the offline chart outputs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pnmce.present import fmt
from pnmce.present.charts import indicator_chart, series_frame
from pnmce.present.tables import escape, table


@pytest.mark.parametrize(("value", "unit", "text"), [
    (23237, None, "23\u00a0237"), (0.12, "%", "0,12\u00a0%"), (1.617, "índice", "1,617"),
    (1131465, "número", "1\u00a0131\u00a0465"), (70.0, "%", "70\u00a0%"), (None, "%", "—"),
])
def test_peruvian_number_format(value, unit, text):
    assert fmt.quantity(value, unit) == text


def test_escape_makes_html_and_markup_inert():
    assert escape("<script>alert(1)</script>") == r"\<script\>alert(1)\</script\>"
    assert escape("*a* $x$ [l](u)") == r"\*a\* \$x\$ \[l\](u)"


def test_table_is_a_numbered_list_table():
    out = table(pd.DataFrame({"A": ["x|y"], "B": [1]}), "Título", "tabla-x")._repr_mimebundle_()
    md = out["text/markdown"]
    assert md.startswith("```{list-table} Título\n:header-rows: 1\n:name: tabla-x")
    assert "x\\|y" in md


def _chart(catalogue, ident="OP1.1", edition=2024):
    ind = catalogue.indicadores.set_index("id").loc[ident]
    metas = catalogue.metas[catalogue.metas["indicador"] == ident]
    return indicator_chart(ident, ind["nombre"], ind["unidad"], series_frame(metas), edition)


def test_chart_outputs_html_and_text_only(catalogue):
    from pnmce.present.charts import embedded_specs

    chart = _chart(catalogue)
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}  # no image: the book draws the spec (chart_images)
    html = bundle["text/html"]
    [(_, _, spec)] = embedded_specs(html)
    assert spec == chart.spec and "cdn" not in html.lower() and "<script src" not in html
    assert spec["description"].startswith("Gráfico del indicador OP1.1")
    assert "Línea base 2024: 23\u00a0237" in bundle["text/plain"]


def test_chart_spec_has_spanish_labels_units_tooltips_and_the_2040_label(catalogue):
    spec = _chart(catalogue).spec
    text = json.dumps(spec, ensure_ascii=False)
    assert '"title": "Año"' in text and "millones de US$" in text
    assert '"tooltip"' in text and "44\u00a0633" in text  # the 2040 value, labelled
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_chart_output_is_the_same_in_every_process(catalogue):
    import os
    import subprocess
    import sys

    code = ("from pnmce.data.package import read_catalogue; from pathlib import Path;"
            "from tests.test_presentation import _chart; import hashlib;"
            "print(hashlib.sha256(_chart(read_catalogue(Path('data')))._repr_mimebundle_()['text/html'].encode()).hexdigest())")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outputs) == 1 and len(outputs.pop()) == 65
