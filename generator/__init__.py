"""产改经验库 generator: YAML records in data/ → Markdown pages in docs/ → the static site in site/.

    sources ──▶ model ──▶ outputs ──▶ engine ──▶ tools ──▶ cli
    files,      records,   pages,       plan, cache,  import,   python -m
    marks       graph,     take-aways,  render,       bench,    generator
                ordering   search       MkDocs        schema

Each package imports only those to its left (import-linter checks it in `make test`).
"""
