"""HTML pages: told from text by their content, parsed once, pruned by the HTML rules, and their
article extracted with trafilatura."""
