"""What officials take away: the data downloads (CSV, Excel, JSON; each record as YAML and JSON),
the Atom feed, and the compilations (汇编) as print pages and Word documents."""
