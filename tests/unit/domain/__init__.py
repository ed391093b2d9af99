"""Unit tests of the pure domain: no app, no database."""
