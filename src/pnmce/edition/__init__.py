"""The annual edition: what it is (`model`), what it records in `ediciones/AAAA/` (`record`),
how two are compared (`compare`) and where its outputs live in `_build/ediciones/` (`publish`)."""
