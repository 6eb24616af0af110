"""The policy chain as tables: matrices generated from the catalogue, and source quality control."""
