// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_tree.h"

namespace runlens {

namespace {

// The row a run names as its parent; -1 when none, not in the table, or itself.
int parentRowOf(const RunTable& table, int row)
{
    const QString& id = table.parentId(row);
    if (id.isEmpty())
        return -1;
    const int p = table.rowOfId(id);
    return p == row ? -1 : p;
}

} // namespace

RunTree RunTree::build(const RunTable& table, std::span<const int> rows, bool withContext)
{
    RunTree tree;
    const auto n = size_t(table.rowCount());
    // Where each run in the tree first appears among the given rows: its own
    // place, or for a context ancestor its first given descendant's.
    constexpr size_t kOut = size_t(-1);
    std::vector<size_t> pos(n, kOut);
    std::vector<char> given(n, 0);
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto r = size_t(rows[i]);
        if (r < n && !given[r]) {
            given[r] = 1;
            pos[r] = i;
        }
    }
    if (withContext)
        for (size_t i = 0; i < rows.size(); ++i) {
            if (size_t(rows[i]) >= n)
                continue;
            // Stops at a run already in the tree, so a cycle ends the walk too.
            for (int a = parentRowOf(table, rows[i]); a >= 0 && pos[size_t(a)] == kOut; a = parentRowOf(table, a))
                pos[size_t(a)] = i;
        }

    // Each run's parent within the tree, cycles cut where a walk up meets itself.
    std::vector<int> up(n, -1);
    std::vector<int> members;
    for (size_t r = 0; r < n; ++r)
        if (pos[r] != kOut) {
            members.push_back(int(r));
            const int p = parentRowOf(table, int(r));
            up[r] = p >= 0 && pos[size_t(p)] != kOut ? p : -1;
        }
    enum : char { Unseen, OnPath, Done };
    std::vector<char> state(n, Unseen);
    std::vector<int> path;
    for (int start : members) {
        path.clear();
        int x = start;
        while (x >= 0 && state[size_t(x)] == Unseen) {
            state[size_t(x)] = OnPath;
            path.push_back(x);
            x = up[size_t(x)];
        }
        if (x >= 0 && state[size_t(x)] == OnPath)
            up[size_t(x)] = -1;   // back on this walk: a cycle, cut here
        for (int p : path)
            state[size_t(p)] = Done;
    }

    tree.nodeOfRow_.assign(n, -1);
    tree.nodes_.reserve(members.size());
    for (int r : members) {
        tree.nodeOfRow_[size_t(r)] = int(tree.nodes_.size());
        tree.nodes_.push_back({r, -1, 0, !given[size_t(r)], {}});
    }
    for (size_t i = 0; i < tree.nodes_.size(); ++i) {
        Node& node = tree.nodes_[i];
        const int p = up[size_t(node.row)];
        if (p < 0) {
            tree.roots_.push_back(int(i));
            continue;
        }
        node.parent = tree.nodeOfRow_[size_t(p)];
        tree.nodes_[size_t(node.parent)].children.push_back(int(i));
        tree.nested_ = true;
    }
    // Depths top down, then each run's place bottom up: the earliest of its
    // own and its descendants', so that a parent stands where its first run
    // stands in the given order (first by a metric, where its best child is).
    std::vector<int> preorder;
    preorder.reserve(tree.nodes_.size());
    std::vector<int> stack(tree.roots_.rbegin(), tree.roots_.rend());
    while (!stack.empty()) {   // no recursion: a chain of runs may be long
        const int i = stack.back();
        stack.pop_back();
        preorder.push_back(i);
        for (int c : tree.nodes_[size_t(i)].children) {
            tree.nodes_[size_t(c)].depth = tree.nodes_[size_t(i)].depth + 1;
            stack.push_back(c);
        }
    }
    std::vector<size_t> place(tree.nodes_.size());
    for (size_t i = 0; i < place.size(); ++i)
        place[i] = pos[size_t(tree.nodes_[i].row)];
    for (auto it = preorder.rbegin(); it != preorder.rend(); ++it)
        if (const int p = tree.nodes_[size_t(*it)].parent; p >= 0)
            place[size_t(p)] = std::min(place[size_t(p)], place[size_t(*it)]);
    tree.sortSiblings([&](int a, int b) { return place[size_t(a)] < place[size_t(b)]; });
    return tree;
}

int RunTree::nodeOf(int row) const
{
    return row >= 0 && size_t(row) < nodeOfRow_.size() ? nodeOfRow_[size_t(row)] : -1;
}

std::vector<RunTree::Line> RunTree::flatten() const
{
    std::vector<Line> out;
    out.reserve(nodes_.size());
    std::vector<int> stack(roots_.rbegin(), roots_.rend());
    while (!stack.empty()) {
        const Node& node = nodes_[size_t(stack.back())];
        stack.pop_back();
        out.push_back({node.row, node.depth, node.context});
        stack.insert(stack.end(), node.children.rbegin(), node.children.rend());
    }
    return out;
}

std::vector<int> RunTree::descendants(int node) const
{
    std::vector<int> out;
    if (node < 0 || size_t(node) >= nodes_.size())
        return out;
    std::vector<int> stack(nodes_[size_t(node)].children.rbegin(), nodes_[size_t(node)].children.rend());
    while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        out.push_back(i);
        stack.insert(stack.end(), nodes_[size_t(i)].children.rbegin(), nodes_[size_t(i)].children.rend());
    }
    return out;
}

std::vector<int> RunTree::childCounts(const RunTable& table)
{
    std::vector<int> counts(size_t(table.rowCount()), 0);
    for (int r = 0; r < table.rowCount(); ++r)
        if (const int p = parentRowOf(table, r); p >= 0)
            ++counts[size_t(p)];
    return counts;
}

} // namespace runlens
