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
    GitCommit, GitBranch, GitDirty, Notes, Hypothesis, Starred, Trashed, Parent, IsParent, Seeds, SeedGroup
};
enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge, Match, NoMatch, In, NotIn };

struct Field {
    FieldKind kind = FieldKind::Name;
    QString path; // for params/metrics/tags/data/env: everything after the prefix
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
