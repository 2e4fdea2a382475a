"""Running for real: bootstrap, scheduling, collecting sources, locks, logs, rebuild."""
