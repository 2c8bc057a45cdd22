"""The search index: each page's search document (documents.py), text normalised and segmented
for Chinese (text.py, segment.py), and the chunked index files the browser loads (shards.py)."""
