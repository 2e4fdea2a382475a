"""From parsed tables to releases: columns to attributes, values normalised, dates read."""
