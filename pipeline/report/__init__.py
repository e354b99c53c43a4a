"""The report's parts: its context and wording, charts, fonts, rendering (Quarto or pandoc +
Typst) and the bundle."""
