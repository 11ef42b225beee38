"""The output types wavebook adds to a notebook's outputs. Import-light: the build handles
them without importing the chart and word modules (and altair, pandas)."""

# a chart's Vega-Lite spec, drawn as a vector PDF for the PDF book (charts.Figure)
VEGA_LITE = "application/vnd.wavebook.vegalite+json"
# an output's versions in the other languages (words.Bilingual)
I18N = "application/vnd.wavebook.i18n+json"
# a static (matplotlib) figure's vector drawing, base64 PDF, for the PDF book (charts.StaticFigure)
DRAWING_PDF = "application/vnd.wavebook.pdf"
