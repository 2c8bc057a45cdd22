"""The build engine: check, generate (read → link → plan → render → join → prune → save, with the
cache of what each page read), MkDocs into a working copy swapped in as site/, the search index,
atomic writes, work on every CPU, and the offline zip."""
