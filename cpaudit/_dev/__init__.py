"""Developer tools (catalogs, forms, screenshots); not shipped in the frozen app."""
