"""PNMCE 2040 reproducible policy book: data -> catalogue -> metrics -> notebooks -> book."""

__version__ = "0.1.0"
