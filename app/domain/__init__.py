"""Candor's bias-check engine: pure rules, frozen dataclasses in and out.

Nothing here knows about Flask, the database or the clock: callers pass plain
values (and "now") in and get plain values back, so the whole rule engine can be
read, tested and reasoned about on its own. See docs/agreement-rule.md.
"""
