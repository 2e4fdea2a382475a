"""The versioned SQLite store: schema, applying releases, fetch bookkeeping, queries."""
