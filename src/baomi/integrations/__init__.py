"""Integrations of baomi into chat servers (Matrix Synapse)."""
