"""The traffic-light statuses of an indicator in a monitoring edition, in the order tables show them."""

VERDE, AMARILLO, ROJO, SIN_DATO, SIN_META = "verde", "amarillo", "rojo", "sin dato", "sin meta"
STATUSES = [VERDE, AMARILLO, ROJO, SIN_DATO, SIN_META]
LINEA_BASE = "línea base"  # every indicator of the baseline edition: no traffic light (data/metodo/seguimiento.yml)
