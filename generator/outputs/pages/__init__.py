"""The Markdown pages: home, records, regions, themes, the A–Z listings, policy documents, the
overview and the pages that lead to the take-aways, each rendered from the View into text."""
