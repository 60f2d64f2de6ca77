// SPDX-License-Identifier: GPL-3.0-or-later
// The stores and their experiments as a tree with run counts; choosing one
// narrows the run table to it. Each store's saved queries are listed under
// it: choosing one narrows to the store and applies the query.
#pragma once

#include <QTreeWidget>

namespace runlens {
class Workspace;
}

namespace runlens::ui {

struct NavigatorFilter {
    int store = -1;        // -1: every store
    QString experiment;    // empty: every experiment
};

class NavigatorView : public QTreeWidget {
    Q_OBJECT

public:
    explicit NavigatorView(Workspace& workspace, QWidget* parent = nullptr);
    void rebuild();
    NavigatorFilter filter() const;

signals:
    void filterChanged();
    // A saved query was chosen (after filterChanged for its store).
    void savedQueryChosen(const QString& query);
    // A saved view (core/workspace/saved_view.h) clicked: its name and JSON.
    void savedViewChosen(const QString& name, const QString& viewJson);

private:
    Workspace& workspace_;
};

} // namespace runlens::ui
