// SPDX-License-Identifier: GPL-3.0-or-later
// Nested runs as a tree: a run whose parent (RunTable::parentId: MLflow's
// mlflow.parentRunId, our own `parent`) is in the tree sits under it. The one
// rule for nesting, shared by the run table, the CLI's table and reports.
//
// - A run whose parent is not in the table (or is itself) is a top-level run.
// - A cycle of parents (a -> b -> a, from a hand-edited store) is cut at its
//   run first in the table: that run is top-level, the rest nest under it.
// - With `withContext`, the ancestors of every given row are added even when
//   not given (a query matched the children only): they are `context` nodes,
//   shown so that a child reads under its parent.
// - Siblings keep the order of the given rows, a parent taking the place of
//   the first of itself and its descendants: rows sorted by a metric put the
//   parent of the best run first. A context node has no place of its own.
//
// Threading: a plain value; build it anywhere from a table no one writes.
#pragma once

#include "run_table.h"

#include <algorithm>
#include <span>
#include <vector>

namespace runlens {

class RunTree {
public:
    struct Node {
        int row = -1;           // table row
        int parent = -1;        // node index; -1: top level
        int depth = 0;          // 0 at the top level
        bool context = false;   // not given: an ancestor of given rows
        std::vector<int> children; // node indexes, in order
    };
    // A node in depth-first order (parents before their children).
    struct Line {
        int row;
        int depth;
        bool context;
    };

    static RunTree build(const RunTable& table, std::span<const int> rows, bool withContext);

    const std::vector<Node>& nodes() const { return nodes_; }
    const std::vector<int>& roots() const { return roots_; }
    // Node index of a table row; -1 when it is not in the tree.
    int nodeOf(int row) const;
    // True when some run has a child here: the tree is more than a list.
    bool nested() const { return nested_; }
    // Every node, parents first, each followed by its subtree.
    std::vector<Line> flatten() const;
    // Node indexes of a node's subtree below it (children, their children, ...).
    std::vector<int> descendants(int node) const;
    // Reorders each node's children (and the roots) by `less` on node indexes; stable.
    template <class Less> void sortSiblings(Less less);

    // How many runs of `table` name `row` as their parent (whether shown or not).
    static std::vector<int> childCounts(const RunTable& table);

private:
    std::vector<Node> nodes_;
    std::vector<int> roots_;
    std::vector<int> nodeOfRow_;
    bool nested_ = false;
};

template <class Less> void RunTree::sortSiblings(Less less)
{
    std::stable_sort(roots_.begin(), roots_.end(), less);
    for (auto& n : nodes_)
        std::stable_sort(n.children.begin(), n.children.end(), less);
}

} // namespace runlens
