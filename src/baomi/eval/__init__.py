"""Corpus reading and scoring (rules.md's evaluation format)."""
