"""Short texts of our own for the diagnosis pages; every number is read from `data/diagnostico/`.

`narrative(cat, key)` returns the paragraph of a section (or None when we have not written one).
A value that disappears from the data raises a KeyError naming the file, so a page never prints a
stale figure.
"""

from __future__ import annotations

import re

from pnmce.data.package import Catalogue
from pnmce.present.diagnosis import cite, money, pct, times
from pnmce.present.diagnosis import value as v
from pnmce.present.fmt import number
from pnmce.present.tables import Markdown, escape


def _bienes(cat: Catalogue) -> str:
    x0, x1 = v(cat, "IL01", "Perú", "2000", "Exportaciones de bienes"), v(cat, "IL01", "Perú", "2024", "Exportaciones de bienes")
    m0, m1 = v(cat, "IL02", "Perú", "2000", "Importaciones de bienes"), v(cat, "IL02", "Perú", "2024", "Importaciones de bienes")
    mining, agro = v(cat, "T09", "PERÚ", "2024", "Minería"), v(cat, "T09", "PERÚ", "2024", "Agro")
    e0, e1 = v(cat, "IL06", "Exportadoras", "2001", "Empresas"), v(cat, "IL06", "Exportadoras", "2024", "Empresas")
    d0, d1 = v(cat, "IL06", "Destinos de exportación", "2001", "Mercados"), v(cat, "IL06", "Destinos de exportación", "2024", "Mercados")
    return (f"En veinticuatro años el valor exportado de bienes se multiplicó por {number(x1 / x0, 1)}: de {money(x0)} en 2000 "
            f"a {money(x1)} en 2024 (⟦IL01⟧); las importaciones crecieron de {money(m0)} a {money(m1)} (⟦IL02⟧). La canasta se concentró "
            f"en dos sectores: en 2024 la minería explicó el {pct(mining)} del valor exportado y el agro el {pct(agro)} (⟦T09⟧). "
            f"Las empresas exportadoras pasaron de {number(e0)} a más de {number(e1)} y los mercados de destino, "
            f"de {number(d0)} a {number(d1)} (⟦IL06⟧).")


def _servicios(cat: Catalogue) -> str:
    total = v(cat, "T08", "Exportación de Servicios", "2024", "Exportación")
    growth = v(cat, "T08", "Exportación de Servicios", "2024/2023", "Variación")
    first = v(cat, "T08", "Exportación de Servicios", "2020", "Exportación")
    tourism = v(cat, "T08", "Servicios relacionados al turismo", "2024", "Participación")
    return (f"Las ventas de servicios al exterior llegaron a {money(total)} en 2024, {pct(growth)} más que el año "
            f"anterior y {times(first, total)} el valor de 2020, año de la pandemia. Los servicios ligados al turismo "
            f"receptivo concentran el {pct(tourism)} del total (⟦T08⟧).")


def _balanza(cat: Catalogue) -> str:
    x = v(cat, "IL01", "Perú", "2024", "Exportaciones de bienes")
    m = v(cat, "IL02", "Perú", "2024", "Importaciones de bienes")
    s = v(cat, "IL10", "Perú", "2024", "Superávit comercial de bienes")
    diff = (f" La resta de las cifras de exportación e importación da {money(x - m)}; la diferencia se anota en el "
            "control de calidad (anexo 7.7).") if abs((x - m) - s) > 1 else ""
    return (f"El comercio de bienes deja un saldo favorable: la política registra un superávit de {money(s)} en 2024 (⟦IL10⟧)."
            + diff)


def _problema(cat: Catalogue) -> str:
    direct = "Porcentaje de empresas que exportan directamente (al menos el 10% de las ventas)"
    pe, lac, umi = (v(cat, "T01", e, "2023", direct) for e in ("Perú", "Latino América y el Caribe", "Ingreso medio superior"))
    share_n = v(cat, "T02", "Mipymes", "2024", "Participación en el número")
    share_v = v(cat, "T02", "Mipymes", "2024", "Participación en el valor")
    return (f"Pocas empresas peruanas venden directamente al exterior: el {pct(pe)} según la Enterprise Survey de 2023, "
            f"frente al {pct(lac)} en América Latina y el Caribe y el {pct(umi)} en los países de ingreso medio alto (⟦T01⟧). "
            f"Las mipymes son el {pct(share_n)} de las empresas exportadoras, pero aportan solo el {pct(share_v)} del "
            "valor exportado en 2024 (⟦T02⟧).")


def _futuro(cat: Catalogue) -> str:
    h0 = v(cat, "IL69", "Perú", "2005", "Participación en el comercio mundial")
    h1 = v(cat, "IL69", "Perú", "2024", "Participación en el comercio mundial")
    trend = v(cat, "IL71", "Tendencial", "2040", "Participación en el comercio mundial")
    target = v(cat, "IL71", "Deseado y factible", "2040", "Participación en el comercio mundial")
    asp = v(cat, "IL71", "Aspiracional", "2040", "Participación en el comercio mundial")
    pe = v(cat, "IL70", "Perú", "2024", "Comercio de bienes y servicios")
    cl = v(cat, "IL70", "Chile", "2024", "Comercio de bienes y servicios")
    return (f"El indicador con que la política resume su horizonte es la participación del Perú en el comercio mundial "
            f"de bienes y servicios: {pct(h0, 2)} en 2005 y {pct(h1, 2)} en 2024 (⟦IL69⟧). Si la tendencia sigue, llegaría a "
            f"{pct(trend, 2)} en 2040; la política se propone un valor deseado y factible de {pct(target, 2)} y uno "
            f"aspiracional de {pct(asp, 2)} (⟦IL71⟧). En 2024 el comercio peruano de bienes y servicios "
            f"(US$ {number(pe)} mil millones) equivalió al {pct(round(100 * pe / cl))} del chileno (⟦IL70⟧).")


def _aspiraciones(cat: Catalogue) -> str:
    return ("Esta sección recoge lo que los actores consultados esperan del comercio exterior; la política la "
            "presenta como texto, sin cifras, por lo que aquí no hay tablas ni gráficos que regenerar.")


def _ci23(cat: Catalogue) -> str:
    total = v(cat, "T07", "TOTAL", "2022", "Contrabando estimado")
    puno = v(cat, "T07", "Puno", "2022", "Participación")
    perfect = v(cat, "T06", "Pedido perfecto", "", "Promedio")
    return (f"Solo el {pct(perfect)} de los pedidos llega a tiempo, completo, sin daños y con los documentos correctos (⟦T06⟧). "
            f"El contrabando se estima en {money(total)} en 2022; la frontera de Puno concentra el {pct(puno)} (⟦T07⟧).")


def _cd3(cat: Catalogue) -> str:
    pe = v(cat, "IL51", "Perú", "2019-2021", "Dependencia de materias primas")
    mx = v(cat, "IL51", "México", "2019-2021", "Dependencia de materias primas")
    return (f"Las materias primas representan el {pct(pe)} de las exportaciones peruanas de mercancías "
            f"(México, otro socio de la Alianza del Pacífico: {pct(mx)}; ⟦IL51⟧).")


def _ci31(cat: Catalogue) -> str:
    hi0 = v(cat, "T10", "Bienes de mediana y alta tecnología", "2013", "Participación")
    hi1 = v(cat, "T10", "Bienes de mediana y alta tecnología", "2023", "Participación")
    n1 = v(cat, "T10", "Bienes de mediana y alta tecnología", "2023", "Empresas")
    return (f"Las empresas que exportan bienes de mediana y alta tecnología eran {number(n1)} en 2023, el "
            f"{pct(hi1)} de las exportadoras ({pct(hi0)} en 2013; ⟦T10⟧).")


def _cd4(cat: Catalogue) -> str:
    firms = v(cat, "T13", "Perú", "2022", "Empresas instaladas")
    share = v(cat, "T13", "Perú", "2022", "Participación en la exportación del país")
    cr = v(cat, "T13", "Costa Rica", "2022", "Participación en la exportación del país")
    return (f"En 2022 las zonas económicas especiales del Perú albergaban {number(firms)} empresas y generaban el "
            f"{pct(share)} de las exportaciones del país; en Costa Rica, el {pct(cr)} (⟦T13⟧).")


def _ci52(cat: Catalogue) -> str:
    dig = v(cat, "T19", "Gestión Digital", "2024", "Empresas que implementaron la gestión")
    prod = v(cat, "T19", "Gestión Productiva", "2024", "Empresas que implementaron la gestión")
    return (f"En el Test del Exportador de 2024, la gestión digital es la capacidad menos implementada ({pct(dig)} de "
            f"las empresas) y la gestión productiva la más extendida ({pct(prod)}; ⟦T19⟧).")


def _modelo(cat: Catalogue) -> str:
    c = cat.causas
    direct = c[c["nivel"] == "directa"]
    per = c[c["nivel"] == "indirecta"].groupby("padre").size()
    return (f"El modelo del problema público tiene {len(direct)} causas directas y {int(per.sum())} causas indirectas ("
            + ", ".join(f"{n} en {cd}" for cd, n in per.items()) + "). Cada causa directa se desarrolla en su propia "
            "página, con una sección por causa indirecta.")


_TEXTS = {"3.2": _modelo, "2-bienes": _bienes, "2-servicios": _servicios, "2-balanza": _balanza, "3.1": _problema, "3.3": _futuro,
          "3.4": _aspiraciones, "CI2.3": _ci23, "CD3": _cd3, "CI3.1": _ci31, "CD4": _cd4, "CI5.2": _ci52}


def _ci13(cat: Catalogue) -> str:
    mining = v(cat, "IL26", "Minería, Petróleo y Gas", "2003-2024", "Participación en la IED")
    manuf = v(cat, "IL26", "Manufactura", "2003-2024", "Participación en la IED")
    return (f"La inversión extranjera directa anunciada entre 2003 y marzo de 2024 se concentró en minería, petróleo y "
            f"gas ({pct(mining)}); la manufactura captó el {pct(manuf)} (⟦IL26⟧).")


def _ci15(cat: Catalogue) -> str:
    obs = cat.diagnostico_observaciones
    years = obs[(obs["fuente"] == "T05") & (obs["variable"] == "Año de entrada en vigor")]["valor"].astype(float)
    return (f"La política enumera {len(years)} acuerdos comerciales vigentes; el más antiguo entró en vigor en "
            f"{int(years.min())} y el más reciente en {int(years.max())} (⟦T05⟧).")


def _ci21(cat: Catalogue) -> str:
    top = v(cat, "IL37", "Lima Metropolitana", "2023", "Componente de Infraestructura")
    low = v(cat, "IL37", "Amazonas", "2023", "Componente de Infraestructura")
    paved = v(cat, "IL33", "Red vial vecinal", "2023", "Vías pavimentadas")
    return (f"En el componente de infraestructura del índice regional de competitividad, Lima Metropolitana obtiene "
            f"{number(top)} puntos de 100 y Amazonas {number(low)} (⟦IL37⟧); de la red vial vecinal solo está pavimentado el "
            f"{pct(paved)} (⟦IL33⟧).")


def _ci32(cat: Catalogue) -> str:
    small = v(cat, "IL61", "Pequeñas y medianas empresas", "2024", "Participación en créditos de comercio exterior")
    factoring = v(cat, "IL62", "Factoring internacional", "2023", "Exportadores que lo usan")
    return (f"Las pequeñas y medianas empresas reciben el {pct(small)} de los créditos de comercio exterior de la banca "
            f"múltiple (⟦IL61⟧), y apenas el {pct(factoring)} de los exportadores usa factoring internacional (⟦IL62⟧).")


def _ci34(cat: Catalogue) -> str:
    obs = cat.diagnostico_observaciones
    shares = obs[(obs["fuente"] == "T11") & (obs["variable"] == "Participación en el total")]
    top = shares.loc[shares["valor"].astype(float).idxmax()]
    low = shares.loc[shares["valor"].astype(float).idxmin()]
    return (f"PROMPERÚ evaluó {len(shares)} prácticas de gestión sostenible: la que más empresas no aplican es la "
            f"{escape(top['entidad'].split('.')[0])} ({pct(top['valor'])} de las empresas) y la más extendida, la "
            f"{escape(low['entidad'].split('.')[0])} (no la aplica el {pct(low['valor'])}; ⟦T11⟧).")


def _ci41(cat: Catalogue) -> str:
    inside = v(cat, "T14", "Perú", "", "Impuesto sobre la renta (en ZEE)")
    outside = v(cat, "T14", "Perú", "", "Impuesto sobre la renta (fuera de ZEE)")
    return (f"En el Perú, una empresa instalada en una zona económica especial paga {pct(inside)} de impuesto a la renta, "
            f"frente al {pct(outside)} fuera de ella; la tabla compara ese incentivo con el de otras economías "
            "iberoamericanas y recoge la opinión de las empresas usuarias (⟦T14⟧).")


def _ci43(cat: Catalogue) -> str:
    obs = cat.diagnostico_observaciones
    impact = obs[(obs["fuente"] == "T18") & (obs["variable"] == "Impacto ZEE")]
    top = impact.loc[impact["valor"].astype(float).idxmax()]
    agro = v(cat, "IL68", "Agropecuario", "2024", "Participación en las exportaciones de las ZEE")
    return (f"El empleo en las zonas económicas especiales pesa poco en el mercado laboral regional: su mayor impacto "
            f"es el de {top['entidad']}, {pct(top['valor'])} de la población ocupada en 2023 (⟦T18⟧). El agro explica el "
            f"{pct(agro)} de lo que esas zonas exportan (⟦IL68⟧).")


_TEXTS.update({"CI1.3": _ci13, "CI1.5": _ci15, "CI2.1": _ci21, "CI3.2": _ci32, "CI3.4": _ci34, "CI4.1": _ci41,
               "CI4.3": _ci43})


_CITE = re.compile(r"⟦(\w+)⟧")


def _prose(cat: Catalogue, text: str) -> Markdown:
    """Our text, escaped, with its glossary terms linked to 6.1 and each `⟦ID⟧` made a cross-reference
    to that table or figure of `data/diagnostico/fuentes.csv` («Tabla 2.1», «Figura 2.3»)."""
    from pnmce.present.reference import link_terms

    return Markdown(_CITE.sub(lambda m: cite(cat, m.group(1)), link_terms(cat, escape(text))))


def narrative(cat: Catalogue, key: str) -> Markdown | None:
    fn = _TEXTS.get(key)
    return _prose(cat, fn(cat)) if fn else None


def scenarios_text(cat: Catalogue) -> Markdown:
    f = cat.escenarios_factores
    counts = f["tipo"].value_counts()
    best = f.sort_values("promedio", ascending=False, kind="stable").iloc[0]
    risk = f[f["tipo"] == "riesgo"].sort_values("promedio", ascending=False, kind="stable").iloc[0]
    return _prose(cat, (
        f"El análisis prospectivo seleccionó {counts.get('tendencia', 0)} tendencias, {counts.get('riesgo', 0)} riesgos "
        f"y {counts.get('oportunidad', 0)} oportunidades, puntuados de 1 a 5 por los expertos consultados, y construyó "
        f"{len(cat.escenarios)} escenarios con ellos. El factor mejor puntuado es «{best['nombre']}» (promedio "
        f"{number(best['promedio'], 2)}); entre los riesgos, «{risk['nombre']}» ({number(risk['promedio'], 2)})."))
