"""Names and codes to organisations: the bundled registry and the resolver over it."""
