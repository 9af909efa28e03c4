"""Evidence kept inside the vault: scans, photos and PDFs, read in memory and stored encrypted.

No module of this package writes a plaintext copy of a document to disk: files are read once and
checked (``intake``), pages are turned, reordered and rendered in memory (``pages``), text
recognition pipes page images to tesseract (``ocr``), and the bytes are stored as chunked blobs in
the SQLCipher database (``blobs``) behind the document records (``service``).
"""
