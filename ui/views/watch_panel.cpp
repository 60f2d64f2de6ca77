// SPDX-License-Identifier: GPL-3.0-or-later
#include "watch_panel.h"

#include "store_registry.h"

#include "run_query.h"
#include "workspace.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QScopedValueRollback>
#include <QSettings>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <utility>

namespace runlens::ui {

namespace {

constexpr int kMaxEvents = 500;
constexpr int kRunIdRole = Qt::UserRole + 1;
enum RuleColumn { StoreColumn, QueryColumn, MetricsColumn };

// Settings keys hold no slashes of a path: one group per store, by its hash.
QString settingsGroup(const QString& path)
{
    return QStringLiteral("watch/")
        + QString::fromLatin1(
            QCryptographicHash::hash(storeShownLocation(path).toUtf8(), QCryptographicHash::Sha1).toHex().left(16));
}

} // namespace

WatchPanel::WatchPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* about = new QLabel(tr("News when a run fails, crashes (its heartbeat stops) or logs NaN or Inf. "
                                "Double-click a query or metrics cell to narrow it; metrics are "
                                "comma-separated (empty: every metric but system/)."));
    about->setWordWrap(true);
    layout->addWidget(about);
    rules_ = new QTreeWidget;
    rules_->setObjectName(QStringLiteral("watchRules"));
    rules_->setRootIsDecorated(false);
    rules_->setHeaderLabels({tr("Store"), tr("Runs (query)"), tr("Metrics")});
    rules_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    rules_->header()->setStretchLastSection(true);
    connect(rules_, &QTreeWidget::itemChanged, this, &WatchPanel::ruleEdited);
    layout->addWidget(rules_, 1);
    events_ = new QTreeWidget;
    events_->setObjectName(QStringLiteral("watchEvents"));
    events_->setRootIsDecorated(false);
    events_->setHeaderLabels({tr("When"), tr("Event"), tr("Run"), tr("What")});
    events_->header()->setStretchLastSection(true);
    connect(events_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        emit runActivated(item->data(0, kRunIdRole).toString());
    });
    connect(events_, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        emit runActivated(item->data(0, kRunIdRole).toString());
    });
    layout->addWidget(events_, 2);
}

WatchPanel::~WatchPanel() = default;

const WatchPanel::StoreWatch* WatchPanel::find(const QString& path) const
{
    for (const auto& s : stores_)
        if (s->path == path)
            return s.get();
    return nullptr;
}

WatchPanel::StoreWatch* WatchPanel::find(const QString& path)
{
    return const_cast<StoreWatch*>(std::as_const(*this).find(path));
}

bool WatchPanel::isWatching(const QString& storePath) const
{
    const StoreWatch* s = find(storePath);
    return s && s->watching;
}

WatchRules WatchPanel::rules(const QString& storePath) const
{
    const StoreWatch* s = find(storePath);
    return s ? s->watch.rules() : WatchRules{};
}

void WatchPanel::setRules(const QString& storePath, bool watching, const WatchRules& rules)
{
    StoreWatch* s = find(storePath);
    if (!s)
        return;
    s->watching = watching;
    s->watch = RunWatch();
    s->watch.setRules(rules);
    save(*s);
    rebuildRules();
    emit rulesChanged();
}

void WatchPanel::save(const StoreWatch& s) const
{
    QSettings settings;
    settings.beginGroup(settingsGroup(s.path));
    settings.setValue(QStringLiteral("path"), storeShownLocation(s.path)); // never a password
    settings.setValue(QStringLiteral("watching"), s.watching);
    settings.setValue(QStringLiteral("query"), s.watch.rules().query);
    settings.setValue(QStringLiteral("metrics"), s.watch.rules().metrics);
}

void WatchPanel::update(const Workspace& workspace, const RunTable& table)
{
    // Stores opened since the last call get their kept rules (or the
    // default); closed ones are forgotten.
    std::vector<std::unique_ptr<StoreWatch>> stores;
    bool changed = int(stores_.size()) != workspace.storeCount();
    for (int i = 0; i < workspace.storeCount(); ++i) {
        const auto& store = workspace.store(i);
        auto it = std::find_if(stores_.begin(), stores_.end(), [&](const auto& s) { return s && s->path == store.path; });
        if (it != stores_.end()) {
            changed = changed || it - stores_.begin() != i;
            stores.push_back(std::move(*it));
            continue;
        }
        changed = true;
        auto s = std::make_unique<StoreWatch>();
        s->path = store.path;
        s->kind = store.kind;
        QSettings settings;
        settings.beginGroup(settingsGroup(store.path));
        s->watching = settings.value(QStringLiteral("watching"), store.kind == QLatin1String("runlens")).toBool();
        WatchRules rules;
        rules.query = settings.value(QStringLiteral("query")).toString();
        rules.metrics = settings.value(QStringLiteral("metrics")).toStringList();
        s->watch.setRules(rules);
        stores.push_back(std::move(s));
    }
    stores_ = std::move(stores);
    if (changed)
        rebuildRules();

    std::vector<WatchEvent> raised;
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    const QueryContext context = workspace.queryContext();
    for (int i = 0; i < int(stores_.size()); ++i) {
        StoreWatch& s = *stores_[size_t(i)];
        if (!s.watching)
            continue;
        // As `runlens watch` chooses: the query with the store's baselines, the trash left out.
        const RunQuery query(s.watch.rules().query);
        const QuerySelection selection = query.select(table, &context);
        // A query that does not parse watches nothing, and says why where it
        // was typed; one naming a key no run has yet matches nothing yet.
        if (QTreeWidgetItem* item = rules_->topLevelItem(i)) {
            const QScopedValueRollback guard(rebuilding_, true);
            item->setToolTip(QueryColumn, !query.isValid() ? tr("Not watching: %1").arg(query.error()->describe())
                    : selection.error ? tr("No run matches yet: %1").arg(selection.error->describe())
                                      : tr("The runs watched; empty: all"));
            item->setForeground(QueryColumn, query.isValid() ? QBrush() : QBrush(Qt::red));
        }
        std::vector<int> rows, storeRows;
        for (int r : selection.rows)
            if (table.storeIndex(r) == i && !table.isTrashed(r))
                rows.push_back(r);
        for (int r = 0; r < table.rowCount(); ++r)
            if (table.storeIndex(r) == i)
                storeRows.push_back(r);
        auto events = s.watch.update(table, storeRows, rows, now);
        raised.insert(raised.end(), events.begin(), events.end());
    }
    if (raised.empty())
        return;
    for (const auto& e : raised) {
        auto* item = new QTreeWidgetItem({QDateTime::fromMSecsSinceEpoch(e.time).toString(QStringLiteral("HH:mm:ss")),
            e.kindName(), e.runName.isEmpty() ? e.runId : e.runName, e.text()});
        item->setData(0, kRunIdRole, e.runId);
        item->setToolTip(3, e.text());
        events_->insertTopLevelItem(0, item);
    }
    for (int c = 0; c < 3; ++c)
        events_->resizeColumnToContents(c);
    while (events_->topLevelItemCount() > kMaxEvents)
        delete events_->takeTopLevelItem(events_->topLevelItemCount() - 1);
    emit eventsRaised(raised);
}

void WatchPanel::rebuildRules()
{
    const QScopedValueRollback guard(rebuilding_, true);
    rules_->clear();
    for (const auto& s : stores_) {
        auto* item = new QTreeWidgetItem(rules_,
            {storeDisplayName(s->path), s->watch.rules().query, s->watch.rules().metrics.join(QStringLiteral(", "))});
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsEditable);
        item->setCheckState(StoreColumn, s->watching ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(StoreColumn, tr("%1 (%2)%3")
                                          .arg(storeShownLocation(s->path), s->kind,
                                              s->kind == QLatin1String("runlens")
                                                  ? QString()
                                                  : tr("\nAnother tool's store: watched only when checked")));
        item->setData(StoreColumn, Qt::UserRole, s->path);
    }
    rules_->resizeColumnToContents(StoreColumn);
}

void WatchPanel::ruleEdited(QTreeWidgetItem* item, int column)
{
    if (rebuilding_)
        return;
    StoreWatch* s = find(item->data(StoreColumn, Qt::UserRole).toString());
    if (!s)
        return;
    if (column == StoreColumn && item->text(StoreColumn) != storeDisplayName(s->path)) {
        // The name is not a rule: an edit of it is undone.
        const QScopedValueRollback guard(rebuilding_, true);
        item->setText(StoreColumn, storeDisplayName(s->path));
    }
    WatchRules rules = s->watch.rules();
    rules.query = item->text(QueryColumn).trimmed();
    rules.metrics.clear();
    for (const QString& m : item->text(MetricsColumn).split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!m.trimmed().isEmpty())
            rules.metrics << m.trimmed();
    const bool watching = item->checkState(StoreColumn) == Qt::Checked;
    if (watching == s->watching && rules.query == s->watch.rules().query && rules.metrics == s->watch.rules().metrics)
        return;
    s->watching = watching;
    s->watch = RunWatch();   // primed again at the next refresh: only what happens from now on
    s->watch.setRules(rules);
    save(*s);
    emit rulesChanged();
}

} // namespace runlens::ui
