// SPDX-License-Identifier: GPL-3.0-or-later
#include "models_view.h"

#include "list_tree.h"
#include "registered_version.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSplitter>
#include <QStandardItemModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

constexpr int kStoreRole = Qt::UserRole + 1;
constexpr int kModelRole = Qt::UserRole + 2;
constexpr int kVersionRole = Qt::UserRole + 3;
constexpr int kRowRole = Qt::UserRole + 4;
enum Column { NameColumn, StageColumn, AliasColumn, RunColumn, MetricsColumn, WhenColumn, ByColumn, ColumnCount };

QString timeText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

ModelsView::ModelsView(QWidget* parent)
    : QWidget(parent)
{
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    model_ = new QStandardItemModel(this);
    tree_ = makeListTree(model_, QAbstractItemView::SingleSelection);
    historyTitle_ = new QLabel;
    historyModel_ = new QStandardItemModel(this);
    history_ = new QTreeView;
    history_->setModel(historyModel_);
    history_->setRootIsDecorated(false);
    history_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    history_->setUniformRowHeights(true);
    history_->setAlternatingRowColors(true);
    auto* historyBox = new QWidget;
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(historyTitle_);
    historyLayout->addWidget(history_, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(tree_);
    split->addWidget(historyBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    register_ = new QPushButton(tr("Register Selected Run…"));
    register_->setToolTip(tr("Register the run selected in the table as the next version of a model; the run becomes a "
                             "candidate whose record names the version"));
    alias_ = new QPushButton(tr("Set Alias…"));
    alias_->setToolTip(tr("Point an alias (champion, challenger, …) at the chosen version; the history keeps every move"));
    stage_ = new QToolButton;
    stage_->setText(tr("Stage"));
    stage_->setPopupMode(QToolButton::InstantPopup);
    stage_->setToolTip(tr("Move the chosen version to a stage (MLflow's stages: deprecated there, still used)"));
    auto* stages = new QMenu(stage_);
    for (const char* s : {"None", "Staging", "Production", "Archived"})
        stages->addAction(QString::fromLatin1(s), this, [this, s] {
            if (const auto c = chosen(); c && c->version > 0)
                emit stageRequested(c->store, text(c->model), c->version, QString::fromLatin1(s));
        });
    stage_->setMenu(stages);
    connect(register_, &QPushButton::clicked, this, &ModelsView::registerRequested);
    connect(alias_, &QPushButton::clicked, this, [this] {
        if (const auto c = chosen(); c && c->version > 0)
            emit aliasRequested(c->store, text(c->model), c->version);
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(register_);
    buttons->addWidget(alias_);
    buttons->addWidget(stage_);
    buttons->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
    connect(tree_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (rebuilding_)
            return;   // setData shows the history once, after
        showHistory();
        updateButtons();
        const QModelIndex i = tree_->currentIndex();
        const int row = i.isValid() ? i.siblingAtColumn(0).data(kRowRole).toInt() : -1;
        if (i.isValid() && i.siblingAtColumn(0).data(kRowRole).isValid() && row >= 0)
            emit runsSelected({row});
    });
    setData(std::make_shared<RunTable>(), {});
}

void ModelsView::setData(std::shared_ptr<const RunTable> table, std::vector<StoreModels> stores)
{
    const auto before = chosen();
    {
        const QScopedValueRollback rebuilding(rebuilding_, true);
        table_ = std::move(table);
        stores_ = std::move(stores);
        model_->clear();
        model_->setHorizontalHeaderLabels({tr("Model / version"), tr("Stage"), tr("Aliases"), tr("Run"),
                                           tr("Metrics when registered"), tr("Registered"), tr("By")});
        const RunTable& t = *table_;
        int models = 0, versions = 0;
        bool anyWritable = false, foreignHistory = false;
        for (const auto& s : stores_) {
            anyWritable = anyWritable || s.writable;
            if (!s.registry)
                continue;
            foreignHistory = foreignHistory || (!s.registry->historyKept && !s.registry->models.empty());
            for (const auto& m : s.registry->models) {
                ++models;
                QList<QStandardItem*> top;
                for (int c = 0; c < ColumnCount; ++c) {
                    auto* item = new QStandardItem;
                    item->setData(s.store, kStoreRole);
                    item->setData(text(m.name), kModelRole);
                    item->setData(qint64(0), kVersionRole);
                    top << item;
                }
                QFont bold = top[NameColumn]->font();
                bold.setBold(true);
                top[NameColumn]->setFont(bold);
                top[NameColumn]->setText(stores_.size() > 1 ? tr("%1  (%2)").arg(text(m.name), s.name) : text(m.name));
                top[NameColumn]->setToolTip(m.description.empty() ? text(m.name) : text(m.name) + QLatin1Char('\n') + text(m.description));
                QStringList aliasText;
                for (const auto& [alias, v] : m.aliases)
                    aliasText << QStringLiteral("%1 \u2192 v%2").arg(text(alias)).arg(v);
                top[AliasColumn]->setText(aliasText.join(QStringLiteral(", ")));
                top[RunColumn]->setText(m.versions.size() == 1 ? tr("1 version") : tr("%1 versions").arg(m.versions.size()));
                top[MetricsColumn]->setText(text(m.description));
                top[WhenColumn]->setText(timeText(m.createdMs));
                top[ByColumn]->setText(text(m.user));
                // Newest version first: the one people ask about.
                for (auto v = m.versions.rbegin(); v != m.versions.rend(); ++v) {
                    ++versions;
                    const RegisteredVersionRun run = registeredVersionRun(t, s.store, m.name, *v);
                    QList<QStandardItem*> line;
                    for (int c = 0; c < ColumnCount; ++c) {
                        auto* item = new QStandardItem;
                        item->setData(s.store, kStoreRole);
                        item->setData(text(m.name), kModelRole);
                        item->setData(qint64(v->version), kVersionRole);
                        if (run.row >= 0)
                            item->setData(run.row, kRowRole);
                        line << item;
                    }
                    line[NameColumn]->setText(QStringLiteral("v%1").arg(v->version));
                    line[NameColumn]->setToolTip(registeredVersionLabel(m.name, m, *v) + QLatin1Char('\n') + text(v->source)
                                                 + (v->description.empty() ? QString() : QLatin1Char('\n') + text(v->description)));
                    line[StageColumn]->setText(v->stage == "None" ? QString() : text(v->stage));
                    QStringList aliases;
                    for (const auto& a : m.aliasesOf(v->version))
                        aliases << text(a);
                    line[AliasColumn]->setText(aliases.join(QStringLiteral(", ")));
                    if (!aliases.isEmpty()) {
                        QFont f = line[AliasColumn]->font();
                        f.setBold(true);
                        line[AliasColumn]->setFont(f);
                    }
                    line[RunColumn]->setText(v->runId.empty() ? tr("(no run)")
                                             : run.row < 0    ? tr("%1 (not in the store)").arg(text(v->runId).left(8))
                                                              : run.runName);
                    line[RunColumn]->setToolTip(text(v->runId));
                    line[MetricsColumn]->setText(run.metrics.metricsText());
                    if (!run.registered && run.row >= 0)
                        line[MetricsColumn]->setToolTip(tr("The run's values now: no record of them at registration"));
                    line[WhenColumn]->setText(timeText(v->createdMs));
                    line[ByColumn]->setText(text(v->user));
                    top[NameColumn]->appendRow(line);
                }
                model_->appendRow(top);
            }
        }
        if (models == 0)
            summary_->setText(anyWritable ? tr("No registered models yet. Select a run in the table and Register it as a "
                                               "model's version, or call mlflow.register_model from training code.")
                                          : tr("No registered models in the open stores."));
        else
            summary_->setText(tr("%1 registered %2, %3 %4.%5")
                                  .arg(models)
                                  .arg(models == 1 ? tr("model") : tr("models"))
                                  .arg(versions)
                                  .arg(versions == 1 ? tr("version") : tr("versions"))
                                  .arg(foreignHistory ? tr(" MLflow keeps the registry as it stands, not its history.")
                                                      : QString()));
        tree_->expandAll();
        for (int c = 0; c < ColumnCount; ++c)
            tree_->resizeColumnToContents(c);
        tree_->setColumnWidth(MetricsColumn, std::min(tree_->columnWidth(MetricsColumn), 420));
        register_->setEnabled(anyWritable);
        if (!before || !choose(before->store, before->model, before->version)) {
            if (model_->rowCount() > 0)
                tree_->setCurrentIndex(model_->index(0, 0));
        }
    }
    showHistory();
    updateButtons();
}

std::optional<ModelsView::Chosen> ModelsView::chosen() const
{
    const QModelIndex i = tree_->currentIndex();
    if (!i.isValid())
        return std::nullopt;
    const QModelIndex first = i.siblingAtColumn(0);
    return Chosen{first.data(kStoreRole).toInt(), first.data(kModelRole).toString().toStdString(),
                  first.data(kVersionRole).toLongLong()};
}

bool ModelsView::choose(int store, const std::string& model, int64_t version)
{
    const QString name = text(model);
    for (int r = 0; r < model_->rowCount(); ++r) {
        const QModelIndex top = model_->index(r, 0);
        if (top.data(kStoreRole).toInt() != store || top.data(kModelRole).toString() != name)
            continue;
        if (version == 0) {
            tree_->setCurrentIndex(top);
            return true;
        }
        for (int v = 0; v < model_->rowCount(top); ++v)
            if (model_->index(v, 0, top).data(kVersionRole).toLongLong() == version) {
                tree_->setCurrentIndex(model_->index(v, 0, top));
                return true;
            }
    }
    return false;
}

void ModelsView::followRun(int row)
{
    // Versions are listed newest first: the first match is the newest.
    for (int r = 0; r < model_->rowCount(); ++r) {
        const QModelIndex top = model_->index(r, 0);
        for (int v = 0; v < model_->rowCount(top); ++v) {
            const QModelIndex version = model_->index(v, 0, top);
            if (version.data(kRowRole).isValid() && version.data(kRowRole).toInt() == row) {
                {
                    const QScopedValueRollback quiet(rebuilding_, true);
                    tree_->setCurrentIndex(version);
                }
                showHistory();
                updateButtons();
                return;
            }
        }
    }
}

void ModelsView::showHistory()
{
    historyModel_->clear();
    historyModel_->setHorizontalHeaderLabels({tr("When"), tr("By"), tr("What")});
    const auto c = chosen();
    const StoreModels* store = nullptr;
    for (const auto& s : stores_)
        if (c && s.store == c->store)
            store = &s;
    const RegisteredModelEntry* m = store && store->registry ? store->registry->model(c->model) : nullptr;
    if (!m) {
        historyTitle_->setText(tr("History"));
        return;
    }
    if (!store->registry->historyKept) {
        historyTitle_->setText(tr("History of %1: MLflow keeps only how the registry stands now, so this shows its "
                                  "creations, stages and aliases as they are")
                                   .arg(text(m->name)));
    } else {
        historyTitle_->setText(tr("History of %1, newest first").arg(text(m->name)));
    }
    const auto lines = registryHistory(*store->registry, *m, *table_, store->store);
    for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
        QList<QStandardItem*> row{new QStandardItem(timeText(line->timeMs)), new QStandardItem(line->user),
                                  new QStandardItem(line->text)};
        if (c->version > 0 && line->version == c->version)
            for (auto* item : row) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
        historyModel_->appendRow(row);
    }
    history_->resizeColumnToContents(0);
    history_->resizeColumnToContents(1);
}

void ModelsView::updateButtons()
{
    const auto c = chosen();
    bool writable = false;
    for (const auto& s : stores_)
        if (c && s.store == c->store)
            writable = s.writable;
    const bool version = c && c->version > 0 && writable;
    alias_->setEnabled(version);
    stage_->setEnabled(version);
    if (c && !writable) {
        alias_->setToolTip(tr("This registry is its own tool's: Runlens reads it and never writes it"));
    }
}

} // namespace runlens::ui
