"""Outputs: every file of the site as a registered kind (kinds.py) that renders from the graph and
a key and returns what it made: pages (Markdown for MkDocs), take-aways (downloads, feed,
compilations), search documents and index files. Writes nothing; the engine does."""
