"""Getting bodies: HTTP with validators and retries, local files, and the raw archive."""
