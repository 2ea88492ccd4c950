"""Parse the text inside ``${{ }}`` into a small tree, with GitHub Actions' grammar and precedence.

Precedence, loosest first: ``||``, ``&&``, ``== !=``, ``< <= > >=``, ``!``, then property access
(``a.b``, ``a['b']``, ``a.*``) and calls. Identifiers may contain ``-`` (``needs.build-docs``), as in
GitHub Actions. The grammar is LALR for lark, built once per process (``functools.cache``).
"""

from __future__ import annotations

import functools

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from lego.errors import ExpressionError

GRAMMAR = r"""
?start: or_expr

?or_expr: and_expr
        | or_expr "||" and_expr           -> or_op
?and_expr: eq_expr
         | and_expr "&&" eq_expr          -> and_op
?eq_expr: rel_expr
        | eq_expr EQOP rel_expr           -> compare
?rel_expr: unary
         | rel_expr RELOP unary           -> compare
?unary: postfix
      | "!" unary                         -> not_op
?postfix: atom
        | postfix "." NAME                -> prop
        | postfix "." "*"                 -> star
        | postfix "[" "*" "]"             -> star
        | postfix "[" or_expr "]"         -> index
?atom: STRING                             -> string
     | NUMBER                             -> number
     | TRUE                               -> true
     | FALSE                              -> false
     | NULL                               -> null
     | NAME "(" [or_expr ("," or_expr)*] ")" -> call
     | NAME                               -> var
     | "(" or_expr ")"

TRUE: "true"
FALSE: "false"
NULL: "null"
EQOP: "==" | "!="
RELOP: "<=" | ">=" | "<" | ">"
NAME: /[A-Za-z_][A-Za-z0-9_-]*/
STRING: /'(?:[^']|'')*'/
NUMBER: /[-+]?(?:0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/

%import common.WS
%ignore WS
"""


@functools.cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def parse(expr: str, *, where: str = "") -> Tree[Token]:
    """Parse ``expr`` (no braces); raise :class:`ExpressionError` naming the column of the problem."""
    if not expr.strip():
        raise ExpressionError(f"{_prefix(where)}empty expression; write e.g. ${{{{ success() }}}}")
    try:
        return _parser().parse(expr)
    except UnexpectedInput as exc:
        raise ExpressionError(f"{_prefix(where)}{describe_syntax_error(expr, exc)}") from exc


@functools.cache
def parse_cached(expr: str) -> Tree[Token]:
    """:func:`parse` for expressions evaluated many times (conditions, per matrix instance)."""
    return parse(expr)


def describe_syntax_error(expr: str, exc: UnexpectedInput) -> str:
    column = getattr(exc, "column", None)
    if isinstance(exc, UnexpectedEOF) or column in (None, -1):
        column = len(expr) + 1
        what = "unexpected end of expression"
    elif isinstance(exc, UnexpectedCharacters):
        char = expr[exc.pos_in_stream or 0]
        what = f"unexpected character {char!r}"
        if char == '"':
            what += " (strings take single quotes, as in GitHub Actions: 'text')"
    elif isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        column = len(expr) + 1
        what = "unexpected end of expression"
    elif isinstance(exc, UnexpectedToken):
        what = f"unexpected {exc.token.value!r}"
    else:  # pragma: no cover - lark has no other UnexpectedInput subclasses
        what = "syntax error"
    return f"expression {expr!r}, column {column}: {what}"


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""
