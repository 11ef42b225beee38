"""Analyses specific to one chapter, one module per chapter topic (``economy``, ...).

Generic pieces (samples, estimators, records, charts, glue) live in the package's top-level
modules; a topic module combines them for its chapter so that the chapter notebook stays free of
functions, loops and branches.
"""
