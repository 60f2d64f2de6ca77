// SPDX-License-Identifier: GPL-3.0-or-later
// The Watch panel (issue 17, live watch): per open store, whether its runs
// are watched, which runs (a query) and which metrics; and the events so far,
// newest first, a click selecting the run. The window feeds it each load and
// refresh; the rules (core/workspace/run_watch.h) decide what is news. Our
// stores are watched by default, other tools' stores only when asked: their
// runs rarely change under a window, and their "running" is often stale.
// Rules are kept in the settings, per store path.
#pragma once

#include "run_watch.h"

#include <QWidget>

#include <memory>
#include <vector>

class QTreeWidget;
class QTreeWidgetItem;

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class WatchPanel : public QWidget {
    Q_OBJECT

public:
    explicit WatchPanel(QWidget* parent = nullptr);
    ~WatchPanel() override;

    // After each load or refresh: the stores open and their merged table.
    // Events are listed and emitted (eventsRaised), each once.
    void update(const Workspace& workspace, const RunTable& table);

    bool isWatching(const QString& storePath) const;
    WatchRules rules(const QString& storePath) const;
    // Starts watching afresh: what is failed or NaN now is not news.
    void setRules(const QString& storePath, bool watching, const WatchRules& rules);

    QTreeWidget* rulesList() const { return rules_; }
    QTreeWidget* eventList() const { return events_; }

signals:
    void eventsRaised(const std::vector<runlens::WatchEvent>& events);
    void runActivated(const QString& runId);
    // The user changed a store's rules: feed update() the current table, so
    // that watching starts from now.
    void rulesChanged();

private:
    struct StoreWatch {
        QString path;
        QString kind;
        bool watching = false;
        RunWatch watch;
    };
    StoreWatch* find(const QString& path);
    const StoreWatch* find(const QString& path) const;
    void rebuildRules();
    void ruleEdited(QTreeWidgetItem* item, int column);
    void save(const StoreWatch& s) const;

    std::vector<std::unique_ptr<StoreWatch>> stores_;
    QTreeWidget* rules_ = nullptr;
    QTreeWidget* events_ = nullptr;
    bool rebuilding_ = false;
};

} // namespace runlens::ui
