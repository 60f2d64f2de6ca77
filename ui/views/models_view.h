// SPDX-License-Identifier: GPL-3.0-or-later
// The Models tab: each open store's registered models (ours, and an MLflow
// store's registry), each model's versions with their stage, aliases, the
// run each came from and its metrics when registered, and beneath, the
// selected model's history (aliases moved, stages, registrations). A
// version clicked selects its run; the buttons register the selected run
// and move an alias or a stage (the window asks and writes, our stores only).
//
// Registries are small, so the lists are QStandardItemModels rebuilt
// whenever the runs or a registry change.
#pragma once

#include "run_table.h"
#include "runlens/model_registry.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QToolButton;
class QTreeView;

namespace runlens::ui {

class ModelsView : public QWidget {
    Q_OBJECT

public:
    struct StoreModels {
        int store = 0;        // the workspace's store index
        QString name;         // the store's file name
        bool writable = false;
        std::shared_ptr<const ModelRegistry> registry;
    };
    // A version chosen in the list.
    struct Chosen {
        int store = 0;
        std::string model;
        int64_t version = 0;   // 0: the model's row
    };

    explicit ModelsView(QWidget* parent = nullptr);

    void setData(std::shared_ptr<const RunTable> table, std::vector<StoreModels> stores);
    QTreeView* tree() const { return tree_; }
    QTreeView* history() const { return history_; }
    std::optional<Chosen> chosen() const;
    // Chooses a model's version (0: the model) in the list.
    bool choose(int store, const std::string& model, int64_t version);
    // Chooses the newest version registered from table row `row`, if any,
    // without selecting the run again (the table chose it).
    void followRun(int row);

signals:
    void runsSelected(const std::vector<int>& tableRows);
    void registerRequested();
    void aliasRequested(int store, const QString& model, qint64 version);
    void stageRequested(int store, const QString& model, qint64 version, const QString& stage);

private:
    void showHistory();
    void updateButtons();

    QLabel* summary_;
    QTreeView* tree_;
    QStandardItemModel* model_;
    QLabel* historyTitle_;
    QTreeView* history_;
    QStandardItemModel* historyModel_;
    QPushButton* register_;
    QPushButton* alias_;
    QToolButton* stage_;
    std::shared_ptr<const RunTable> table_;
    std::vector<StoreModels> stores_;
    bool rebuilding_ = false;
};

} // namespace runlens::ui
