"""Our summaries of the policy are ours: no run of six words copied from the policy's wording.

The policy's text is not in the repository; `fixtures/justificaciones_huellas.txt` holds only hashes
of every six-word run of the «Justificación» rows of its 92 technical sheets."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.conftest import FIXTURES

RUN = 6


def _runs(text: str) -> dict[str, str]:
    """Hash → words, for every run of RUN consecutive words (same normalisation as the fixture)."""
    words = re.findall(r"\w+", text.lower())
    return {hashlib.sha256(" ".join(words[i:i + RUN]).encode()).hexdigest()[:10]: " ".join(words[i:i + RUN])
            for i in range(len(words) - RUN + 1)}


@pytest.fixture(scope="module")
def policy_runs() -> set[str]:
    lines = (FIXTURES / "justificaciones_huellas.txt").read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def copied(text: str, policy_runs: set[str]) -> list[str]:
    return [words for h, words in _runs(text).items() if h in policy_runs]


def test_the_check_finds_a_copied_run(policy_runs):
    # boilerplate of many sheets (a fragment, not a sentence of ours): the check must catch it
    assert copied("Además, el indicador es factible de ser calculado por la entidad responsable.", policy_runs)
    assert not copied("Cuenta las capacitaciones dictadas en el año a las empresas.", policy_runs)


def test_every_indicator_has_one_justification_summary(catalogue):
    j = catalogue.justificaciones
    assert sorted(j["indicador"]) == sorted(catalogue.indicadores["id"])
    assert not j["indicador"].duplicated().any()


def test_summaries_are_one_or_two_sentences_and_cite_their_sheet(catalogue):
    for r in catalogue.justificaciones.itertuples():
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", r.resumen.strip()) if s]
        assert 1 <= len(sentences) <= 2 and r.resumen.strip().endswith("."), r.indicador
        assert f"ficha técnica {r.indicador}" in r.procedencia and re.search(r"\[L\d+", r.procedencia), r.indicador


def test_justification_summaries_copy_no_run_of_the_policy(catalogue, policy_runs):
    found = {r.indicador: copied(r.resumen, policy_runs) for r in catalogue.justificaciones.itertuples()}
    assert not {k: v for k, v in found.items() if v}
