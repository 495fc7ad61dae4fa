"""Quality monitoring's use cases: collection (import, workflow), verdicts and cards, standards."""
