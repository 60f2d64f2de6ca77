// SPDX-License-Identifier: GPL-3.0-or-later
// The syntax tree of a parsed query: what the parser builds and evaluation
// compiles against a table.
#pragma once

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace runlens::query {

enum class FieldKind {
    Param, Metric, Tag, Data, Env, Name, Id, Status, Experiment, StartTime, EndTime, Duration,
    GitCommit, GitBranch, GitDirty, Notes, Hypothesis, Starred, Trashed, Parent, IsParent, Seeds, SeedGroup,
    IsBaseline, WelchP, SeedMean, SeedSd
};
enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge, Match, NoMatch, In, NotIn };

struct Field {
    FieldKind kind = FieldKind::Name;
    QString path; // for params/metrics/tags/data/env/welch_p/seed_mean/seed_sd: everything after the prefix
    bool ofBaseline = false; // baseline.X: the field's value in the run's baseline run
    int pos = 0, len = 0;
};

// A value computed from fields and numbers: `baseline.val_auc + 0.005`,
// `metrics.train_loss - metrics.val_loss`.
struct Expr {
    enum Kind { FieldRef, Number, Add, Sub, Mul, Div, Negate } kind = Number;
    Field field;
    double number = 0;
    std::unique_ptr<Expr> left, right; // Negate: left only
    int pos = 0, len = 0;
};

struct Literal {
    bool isNumber = false;
    double number = 0;
    QString text;
    int pos = 0, len = 0;
};

struct Node {
    enum Kind { And, Or, Not, Compare } kind = Compare;
    std::vector<std::unique_ptr<Node>> children;
    Field field;
    Cmp cmp = Cmp::Eq;
    std::vector<Literal> values;
    // Set when a side is more than one field (left) or one value (right):
    // arithmetic, or another field such as baseline.X. `field` is then the
    // left side's first field (for messages).
    std::unique_ptr<Expr> lhs, rhs;
    int opPos = 0;
};

struct OrderItem {
    Field field;
    bool descending = false;
};

struct Ast {
    std::unique_ptr<Node> where; // null: every run
    std::vector<OrderItem> order;
    std::optional<int> limit;
};

} // namespace runlens::query
