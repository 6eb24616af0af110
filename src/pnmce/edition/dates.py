"""What an edition is: a monitoring year with observed data, and its reference dates."""

from __future__ import annotations

import datetime as dt
import os

from pnmce.data.observed import data_date, observed_years
from pnmce.paths import Project


def years_with_data(project: Project) -> list[int]:
    """Every year that has observed data (`pnmce build --todas` builds one edition per year)."""
    return observed_years(project.data)


def reference_datetime(year: int) -> dt.datetime:
    """The one date stamped on an edition's outputs (PDF metadata, title page).

    `SOURCE_DATE_EPOCH` when set (reproducible-builds convention), else the data cut-off of the
    edition: derived from its inputs, never from the clock.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.combine(data_date(year), dt.time(0, 0), dt.timezone.utc)
