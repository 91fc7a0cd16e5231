"""Pipelines: stages in mlvc.yaml, their records in mlvc.lock, and reproduction."""
