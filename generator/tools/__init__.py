"""Tools around the pipeline: import articles into draft records, scaffold a new record, publish
the JSON Schema, and benchmark on a synthetic corpus."""
