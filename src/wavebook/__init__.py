"""wavebook: executable research reports on a panel survey of people who left Russia.

The package holds everything a chapter needs so that chapters stay free of logic:
reading and validating a wave (:mod:`wavebook.io`), cleaning (:mod:`wavebook.clean`),
named samples (:mod:`wavebook.samples`), estimators (:mod:`wavebook.stats`), the estimate
record (:mod:`wavebook.estimates`), reader tables, charts and glue (:mod:`wavebook.tables`,
:mod:`wavebook.charts`, :mod:`wavebook.report`) and the build (:mod:`wavebook.build`).
"""

__version__ = "0.1.0"
