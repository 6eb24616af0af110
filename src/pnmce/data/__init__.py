"""Data layer: the Frictionless Data Package in `data/`, read and validated."""

from pnmce.data.package import Catalogue, read_catalogue
from pnmce.data.validate import load_valid_catalogue, validate_catalogue

__all__ = ["Catalogue", "read_catalogue", "load_valid_catalogue", "validate_catalogue"]
