"""Reports: Jinja2 → HTML → WeasyPrint → PDF, with the fonts the package ships."""
