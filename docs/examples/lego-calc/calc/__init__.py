"""A tiny package for the lego walkthrough in docs/lego.md."""


def add(a: int, b: int) -> int:
    return a + b


def mul(a: int, b: int) -> int:
    return a * b
