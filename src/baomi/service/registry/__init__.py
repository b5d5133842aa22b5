"""The unit's registry of classified documents in the service (one registry file per unit)."""
