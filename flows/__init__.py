"""Flows, use cases and the composition root. Importing any `flows.x` runs this first, so
Prefect's settings for this engine are in place before Prefect itself is imported."""

from flows import prefect_env

prefect_env.configure()
