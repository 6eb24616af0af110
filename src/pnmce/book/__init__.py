"""Assembling the book: static assets, Jupyter Book, and the atomic swap of the output."""
