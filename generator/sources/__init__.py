"""Reading sources: files of data/ (and readings shipped with the generator) into plain data with
the line and column of every value, and every problem as `file:line:col: field: message`
(problems.py). Knows nothing of records, pages or builds."""
