"""PDF documents Declara writes: the chronology exhibit, and the declaration built on the same layout.

Documents are rendered into memory (``bytes``) and written only where the user chooses. Their
language is an explicit argument, independent of the interface language. reportlab is imported
only when a document is rendered, so importing these modules stays cheap.
"""
