"""The model: typed, strict records (pydantic) validated from the sources' data, linked into one
graph, and ordered (pinyin sort keys and groups, in one pure module); lint warnings; the keys
that name what a page reads. Takes sources' plain data; gives the Graph and its Ordering."""
