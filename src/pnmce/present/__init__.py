"""What the notebooks display: Peruvian number formats, tables and offline charts."""
