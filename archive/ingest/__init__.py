"""From documents to records: cleaning, quotation extraction and attribution.

Pure Python with no Django imports, so the same pipeline serves the fixture builder,
the admin's article import and the command line, and is unit-tested on small strings.
"""
