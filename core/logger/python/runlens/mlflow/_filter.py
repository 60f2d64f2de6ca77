# SPDX-License-Identifier: MIT
"""MLflow's search filter strings and order_by clauses, parsed once, then
either evaluated against runs read from a store or written in Runlens's query
language (`runlens runs --query`), with the same meaning.

    metrics.rmse < 0.8 and params.model = 'rf'
    attributes.status = 'FINISHED' and tags."mlflow.runName" LIKE 'lr-%'
    params.alpha IN ('0.1', '0.5') and metrics.`val acc` >= 0.9

MLflow's grammar, plus what Runlens's language adds: OR and parentheses, and
ranges over params. Comparisons follow Runlens's rules: numbers compare as
numbers (a quoted number against a numeric value too), text as text; a run
without the key matches nothing, != included.
"""
import math
import re

from .exceptions import MlflowException
from .protos import databricks_pb2 as _codes

_KINDS = {
    "metric": "metric", "metrics": "metric",
    "param": "param", "params": "param", "parameter": "param", "parameters": "param",
    "tag": "tag", "tags": "tag",
    "attribute": "attr", "attributes": "attr", "attr": "attr", "run": "attr",
    "dataset": "dataset", "datasets": "dataset",
}
_ATTRIBUTES = {"run_id": "run_id", "run_uuid": "run_id", "run_name": "run_name", "status": "status",
               "start_time": "start_time", "created": "start_time", "end_time": "end_time",
               "artifact_uri": "artifact_uri", "user_id": "user_id", "lifecycle_stage": "lifecycle_stage",
               "experiment_id": "experiment_id"}
_NUMERIC_ATTRS = {"start_time", "end_time"}
_DATASET_KEYS = {"name", "digest", "context"}
_OPS = ("<=", ">=", "!=", "<>", "==", "=", "<", ">")

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<lparen>\() | (?P<rparen>\)) | (?P<comma>,)
    | (?P<op><=|>=|!=|<>|==|=|<|>)
    | (?P<string>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*")
    | (?P<backtick>`[^`]*`)
    | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.]))
    | (?P<dot>\.)
    | (?P<word>[A-Za-z_][\w\-/:@]*)
    )""", re.VERBOSE)


def _error(message):
    return MlflowException(f"Invalid filter string: {message}", error_code=_codes.INVALID_PARAMETER_VALUE)


def _unquote(text):
    quote = text[0]
    body = text[1:-1]
    if quote == "'":
        body = body.replace("''", "'")
    return re.sub(r"\\(.)", r"\1", body)


def _tokens(text):
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise _error(f"unexpected text at {pos}: {text[pos:pos + 20]!r}")
        kind = m.lastgroup
        value = m.group(kind)
        out.append((kind, value, m.start(kind)))
        pos = m.end()
    return out


class Compare:
    """kind (metric, param, tag, attr, dataset), key, op (= != < <= > >= like ilike in not in), value(s)."""

    def __init__(self, kind, key, op, value):
        self.kind, self.key, self.op, self.value = kind, key, op, value

    def __repr__(self):
        return f"Compare({self.kind}.{self.key} {self.op} {self.value!r})"


class _Parser:
    def __init__(self, text, attributes=None):
        # None: a run's attributes, under attributes. or bare; else the bare names a search
        # over something else takes (a registered model's name, a version's run_id).
        self.attributes = attributes
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self, offset=0):
        j = self.i + offset
        return self.toks[j] if j < len(self.toks) else (None, None, len(self.text))

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def word_is(self, *words, offset=0):
        kind, value, _ = self.peek(offset)
        return kind == "word" and value.lower() in words

    def parse(self):
        if not self.toks:
            return None
        node = self.or_expr()
        if self.i < len(self.toks):
            kind, value, pos = self.peek()
            raise _error(f"expected AND or the end at {pos}, found {value!r}")
        return node

    def or_expr(self):
        parts = [self.and_expr()]
        while self.word_is("or"):
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def and_expr(self):
        parts = [self.term()]
        while self.word_is("and"):
            self.take()
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def term(self):
        if self.peek()[0] == "lparen":
            self.take()
            node = self.or_expr()
            if self.take()[0] != "rparen":
                raise _error("a parenthesis is not closed")
            return node
        return self.comparison()

    def identifier(self):
        kind, value, pos = self.take()
        if kind == "word" and "." in value:
            # metrics.rmse read as one word when the key is plain
            head, key = value.split(".", 1)
            return self._resolve(head, key, pos)
        if kind in ("word", "string", "backtick") and self.peek()[0] == "dot":
            self.take()
            key_kind, key_value, _ = self.take()
            if key_kind in ("string", "backtick"):
                key = _unquote(key_value) if key_kind == "string" else key_value[1:-1]
            elif key_kind in ("word", "number"):
                key = key_value
                while self.peek()[0] == "dot" and self.peek(1)[0] in ("word", "number"):
                    self.take()
                    key += "." + self.take()[1]
            else:
                raise _error(f"expected a key after {value}. at {pos}")
            return self._resolve(value, key, pos)
        if kind == "word" and value.lower() in (self.attributes or _ATTRIBUTES):
            return "attr", (self.attributes or _ATTRIBUTES)[value.lower()]
        if self.attributes is not None and kind == "backtick" and value[1:-1].lower() in self.attributes:
            return "attr", self.attributes[value[1:-1].lower()]
        raise _error(f"expected an identifier such as metrics.rmse at {pos}, found {value!r}")

    def _resolve(self, head, key, pos):
        kind = _KINDS.get(head.lower())
        if self.attributes is not None and kind not in ("tag", "attr"):
            raise _error(f"'{head}.{key}': this search takes {', '.join(sorted(self.attributes))} and tags.KEY")
        if kind is None:
            raise _error(f"'{head}' is not metrics, params, tags, attributes or datasets (at {pos})")
        if kind == "attr" and self.attributes is not None:
            if key.lower() not in self.attributes:
                raise _error(f"'{key}' is not one of {', '.join(sorted(self.attributes))}")
            return "attr", self.attributes[key.lower()]
        if kind == "attr":
            if key.lower() not in _ATTRIBUTES:
                raise _error(f"'{key}' is not a run attribute; use one of {', '.join(sorted(_ATTRIBUTES))}")
            return "attr", _ATTRIBUTES[key.lower()]
        if kind == "dataset" and key.lower() not in _DATASET_KEYS:
            raise _error(f"'datasets.{key}': datasets have name, digest and context")
        if kind == "tag" and key == "mlflow.runName" and self.attributes is None:
            return "attr", "run_name"
        return kind, key

    def value(self):
        kind, value, pos = self.take()
        if kind == "string":
            return _unquote(value)
        if kind == "number":
            return float(value)
        raise _error(f"expected a value at {pos}, found {value!r}")

    def comparison(self):
        kind, key = self.identifier()
        tk, tv, pos = self.take()
        if tk == "op":
            op = {"==": "=", "<>": "!="}.get(tv, tv)
        elif tk == "word" and tv.lower() in ("like", "ilike", "in"):
            op = tv.lower()
        elif tk == "word" and tv.lower() == "not" and self.word_is("in"):
            self.take()
            op = "not in"
        elif tk == "word" and tv.lower() == "is":
            negate = self.word_is("not")
            if negate:
                self.take()
            if not self.word_is("null"):
                raise _error("expected NULL after IS")
            self.take()
            return Compare(kind, key, "is not null" if negate else "is null", None)
        else:
            raise _error(f"expected a comparison after {kind}.{key} at {pos}, found {tv!r}")
        if op in ("in", "not in"):
            if self.take()[0] != "lparen":
                raise _error(f"{op.upper()} takes a list in parentheses: ('a', 'b')")
            values = [self.value()]
            while self.peek()[0] == "comma":
                self.take()
                values.append(self.value())
            if self.take()[0] != "rparen":
                raise _error("the list is not closed")
            return Compare(kind, key, op, values)
        value = self.value()
        if op in ("like", "ilike") and not isinstance(value, str):
            raise _error(f"{op.upper()} takes a quoted pattern")
        if kind == "metric" and isinstance(value, str) and op not in ("like", "ilike"):
            try:
                value = float(value)
            except ValueError:
                raise _error(f"metrics.{key} compares with a number, not {value!r}") from None
        return Compare(kind, key, op, value)


def parse_filter(text, attributes=None):
    """The filter as a tree of ("and"|"or", [children]) and Compare; None when empty. `attributes`:
    the bare identifiers a search over something other than runs takes, {name in filter: field}."""
    if text is None or not str(text).strip():
        return None
    return _Parser(str(text), attributes).parse()


def parse_order_by(clauses):
    """["metrics.rmse DESC", ...] -> [(kind, key, ascending)]."""
    out = []
    for clause in clauses or []:
        parts = str(clause).strip()
        ascending = True
        m = re.search(r"\s+(asc|desc)\s*$", parts, re.IGNORECASE)
        if m:
            ascending = m.group(1).lower() == "asc"
            parts = parts[:m.start()]
        p = _Parser(parts)
        kind, key = p.identifier()
        if p.i < len(p.toks):
            raise MlflowException(f"Invalid order_by clause {clause!r}", error_code=_codes.INVALID_PARAMETER_VALUE)
        out.append((kind, key, ascending))
    return out


# -- evaluation ----------------------------------------------------------------
def _num(x):
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x)
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _like(pattern, ignore_case):
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(regex + r"\Z", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def _compare(actual, op, literal):
    """Runlens's rules: numbers against numbers, else text against text."""
    if op in ("like", "ilike"):
        return _like(literal, op == "ilike").match(str(actual)) is not None
    if op in ("in", "not in"):
        found = any(_compare(actual, "=", lit) for lit in literal)
        return found == (op == "in")
    a, b = _num(actual), _num(literal)
    if a is not None and b is not None:
        if math.isnan(a) or math.isnan(b):
            return op == "!="
        c = (a > b) - (a < b)
    else:
        sa, sb = str(actual), str(literal)
        c = (sa > sb) - (sa < sb)
    return {"=": c == 0, "!=": c != 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op]


def field_value(row, kind, key):
    """A run's value of a field; row is a dict as the backend gives (missing: None)."""
    if kind == "metric":
        return row["metrics"].get(key)
    if kind == "param":
        return row["params"].get(key)
    if kind == "tag":
        return row["tags"].get(key)
    if kind == "attr":
        return row["attrs"].get(key)
    return None


def matches(node, row):
    if node is None:
        return True
    if isinstance(node, tuple):
        op, children = node
        results = (matches(child, row) for child in children)
        return all(results) if op == "and" else any(results)
    if node.kind == "dataset":
        key = node.key.lower()
        for ds in row.get("datasets", []):
            value = ds.get(key)
            if value is not None and node.op not in ("is null", "is not null") and _compare(value, node.op,
                                                                                            node.value):
                return True
        return False
    actual = field_value(row, node.kind, node.key)
    if node.op == "is null":
        return actual is None
    if node.op == "is not null":
        return actual is not None
    if actual is None:
        return False
    if node.kind == "attr" and node.key == "status":
        statuses = row["attrs"].get("status_all", {str(actual)})
        lits = node.value if isinstance(node.value, list) else [node.value]
        lits = [str(v).upper() for v in lits]
        if node.op in ("=", "in"):
            return any(s in lits for s in statuses)
        if node.op in ("!=", "not in"):
            return not any(s in lits for s in statuses)
        return any(_compare(s, node.op, node.value) for s in statuses)
    return _compare(actual, node.op, node.value)


def sort_runs(rows, order):
    """Sorts in place by [(kind, key, ascending)], then start time (newest first) and id, as MLflow does.
    Runs without the key come last either way."""
    def keyed(kind, key, ascending):
        def k(row):
            v = field_value(row, kind, key)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return (1, 0, "")
            n = _num(v)
            if n is not None:
                return (0, n if ascending else -n, "")
            return (0, 0, str(v))
        return k
    rows.sort(key=lambda r: r["attrs"]["run_id"])
    rows.sort(key=lambda r: -(r["attrs"]["start_time"] or 0))
    for kind, key, ascending in reversed(order):
        k = keyed(kind, key, ascending)
        textual = any(k(r)[2] for r in rows)
        if textual and not ascending:
            # text descending: sort by text reversed, keeping missing values last
            present = [r for r in rows if k(r)[0] == 0]
            missing = [r for r in rows if k(r)[0] == 1]
            present.sort(key=lambda r: str(field_value(r, kind, key)), reverse=True)
            rows[:] = present + missing
        else:
            rows.sort(key=k)


# -- translation to Runlens's query language -------------------------------------
_PLAIN_KEY = re.compile(r"[A-Za-z_][\w.\-/:@]*\Z")
_RUNLENS_STATUS = {"RUNNING": ["running"], "FINISHED": ["finished"], "FAILED": ["failed", "crashed"],
                   "KILLED": ["killed"], "SCHEDULED": []}


def _rl_key(key):
    return key if _PLAIN_KEY.match(key) else "`" + key + "`"


def _rl_literal(value):
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _rl_like(pattern, ignore_case):
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return ("(?i)" if ignore_case else "") + "^" + regex + "$"


def to_runlens_query(node, order=None):
    """The filter (and order) in Runlens's query language; None when a part has no
    counterpart there (datasets, artifact_uri, IS NULL)."""
    def field(kind, key):
        if kind == "metric":
            return "metrics." + _rl_key(key)
        if kind == "param":
            return "params." + _rl_key(key)
        if kind == "tag":
            return "tags." + _rl_key(key)
        if kind == "attr":
            return {"run_id": "id", "run_name": "name", "status": "status", "start_time": "start_time",
                    "end_time": "end_time", "user_id": "tags.mlflow.user", "experiment_id": "experiment"}.get(key)
        return None

    def render(n):
        if n is None:
            return ""
        if isinstance(n, tuple):
            op, children = n
            parts = [render(c) for c in children]
            if any(p is None for p in parts):
                return None
            return "(" + f" {op} ".join(parts) + ")"
        f = field(n.kind, n.key)
        if f is None or n.op in ("is null", "is not null"):
            return None
        if n.kind == "attr" and n.key == "status":
            lits = n.value if isinstance(n.value, list) else [n.value]
            names = [s for lit in lits for s in _RUNLENS_STATUS.get(str(lit).upper(), [str(lit).lower()])]
            if not names:
                names = ["scheduled"]
            positive = n.op in ("=", "in")
            if n.op not in ("=", "in", "!=", "not in"):
                return None
            return f"status {'in' if positive else 'not in'} (" + ", ".join(names) + ")"
        if n.op in ("like", "ilike"):
            return f"{f} ~ {_rl_literal(_rl_like(n.value, n.op == 'ilike'))}"
        if n.op in ("in", "not in"):
            return f"{f} {n.op} (" + ", ".join(_rl_literal(v) for v in n.value) + ")"
        return f"{f} {n.op} {_rl_literal(n.value)}"

    text = render(node)
    if text is None:
        return None
    if text.startswith("(") and text.endswith(")") and isinstance(node, tuple):
        text = text[1:-1]
    if order:
        parts = []
        for kind, key, ascending in order:
            f = field(kind, key)
            if f is None:
                return None
            parts.append(f + ("" if ascending else " desc"))
        text = (text + " " if text else "") + "order by " + ", ".join(parts)
    return text
