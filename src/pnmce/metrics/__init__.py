"""Annual monitoring: the method (seguimiento.yml) and the compliance metrics.

The yearly intake of observed values (template, import) is data loading: `pnmce.data.intake`."""

from pnmce.data.method import Method, load_method, method_from_dict, method_path
from pnmce.data.observed import observed_years, read_all_observed, read_observed
from pnmce.metrics.compliance import (
    agrees,
    alerts,
    baseline_observed,
    computed_value,
    effective_direction,
    expected_value,
    management_index,
    monitoring_table,
    ratio,
    status,
)
from pnmce.metrics.digest import digest_table, write_digest

__all__ = [
    "Method", "load_method", "method_from_dict", "method_path",
    "expected_value", "effective_direction", "ratio", "status", "alerts", "agrees", "computed_value",
    "monitoring_table", "management_index", "digest_table", "write_digest",
    "baseline_observed",
    "read_observed", "read_all_observed", "observed_years",
]
