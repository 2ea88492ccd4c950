"""Shared output writers: ``table`` (rich tables and JSON), ``junit`` (JUnit XML), ``format`` (--format).

Import the submodule you need; this package imports nothing, so ``hucheng --help`` stays fast.
"""
