// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_details_view.h"

#include "notes_panel.h"

#include "number_text.h"
#include "run_colors.h"
#include "promotion.h"
#include "tool_tags.h"
#include "value_text.h"
#include "value_viewer_dialog.h"

#include <QAction>

#include <QClipboard>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace runlens::ui {

RunDetailsView::RunDetailsView(QWidget* parent) : QWidget(parent)
{
    header_ = new QLabel;
    header_->setWordWrap(true);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hypothesis_ = new NotesPanel(tr("Hypothesis"), tr("What this run was meant to show. Edit to write it down."));
    notes_ = new NotesPanel(tr("Notes"), tr("No notes yet: what happened, what failed and why."));
    connect(hypothesis_, &NotesPanel::edited, this, [this](const QString& text) {
        emit textEdited(runId_, RunField::Hypothesis, hypothesis_->text(), text);
    });
    connect(notes_, &NotesPanel::edited, this, [this](const QString& text) {
        emit textEdited(runId_, RunField::Notes, notes_->text(), text);
    });
    summary_ = new QTextBrowser;
    summary_->setOpenLinks(false);
    summary_->setVisible(false);
    connect(summary_, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        // run:<id> selects it; query:<text> applies the query.
        const QString target = QUrl::fromPercentEncoding(url.toString(QUrl::FullyEncoded).toUtf8());
        if (target.startsWith(QLatin1String("run:")))
            emit runActivated(target.mid(4));
        else if (target.startsWith(QLatin1String("query:")))
            emit queryRequested(target.mid(6));
    });
    tree_ = new QTreeWidget;
    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Key"), tr("Value")});
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    tree_->setColumnWidth(0, 180);
    // Exact values: Ctrl+C copies the current value as logged, a long one opens in full.
    auto* copy = new QAction(tr("Copy"), tree_);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, [this] {
        if (const QTreeWidgetItem* item = tree_->currentItem())
            QGuiApplication::clipboard()->setText(item->data(1, Qt::UserRole).toString());
    });
    tree_->addAction(copy);
    connect(tree_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        const QString value = item->data(1, Qt::UserRole).toString();
        if (isElidedInCell(value))
            ValueViewerDialog::open(item->text(0), value, this);
    });
    openArtifacts_ = new QPushButton(tr("Open artifacts folder"));
    openArtifacts_->setVisible(false);
    connect(openArtifacts_, &QPushButton::clicked, this, &RunDetailsView::openArtifactsFolder);
    opener_ = [](const QUrl& url) { return QDesktopServices::openUrl(url); };
    // Without a file manager (a server, a minimal desktop) the click would
    // do nothing visible: the path is said, with a way to copy it.
    artifactsNote_ = new QWidget;
    artifactsNoteText_ = new QLabel;
    artifactsNoteText_->setWordWrap(true);
    artifactsNoteText_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* copyPath = new QPushButton(tr("Copy Path"));
    connect(copyPath, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(QDir::toNativeSeparators(artifactFolder_)); });
    auto* noteLayout = new QHBoxLayout(artifactsNote_);
    noteLayout->setContentsMargins(0, 0, 0, 0);
    noteLayout->addWidget(artifactsNoteText_, 1);
    noteLayout->addWidget(copyPath);
    artifactsNote_->setVisible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(header_);
    layout->addWidget(hypothesis_);
    layout->addWidget(notes_);
    layout->addWidget(tree_, 1);
    layout->addWidget(summary_, 1);
    layout->addWidget(openArtifacts_);
    layout->addWidget(artifactsNote_);
    showMessage(tr("Select a run to see everything recorded about it."));
}

void RunDetailsView::setShowToolTags(bool show)
{
    showToolTags_ = show;
    if (shown_)
        showRun(RunDetails(*shown_));
}

void RunDetailsView::setEditable(bool editable)
{
    hypothesis_->setEditable(editable);
    notes_->setEditable(editable);
}

void RunDetailsView::showMessage(const QString& message)
{
    shown_.reset();
    runId_.clear();
    hypothesis_->setVisible(false);
    notes_->setVisible(false);
    summary_->setVisible(false);
    tree_->setVisible(true);
    header_->setText(message);
    tree_->clear();
    openArtifacts_->setVisible(false);
    artifactsNote_->setVisible(false);
}

void RunDetailsView::openArtifactsFolder()
{
    if (artifactFolder_.isEmpty())
        return;
    const bool opened = QFileInfo(artifactFolder_).isDir() && opener_(QUrl::fromLocalFile(artifactFolder_));
    artifactsNoteText_->setText(opened ? QString()
            : QFileInfo(artifactFolder_).isDir()
            ? tr("No file manager opened it. The folder: %1").arg(QDir::toNativeSeparators(artifactFolder_))
            : tr("The folder is not there (moved, or on another machine): %1")
                  .arg(QDir::toNativeSeparators(artifactFolder_)));
    artifactsNote_->setVisible(!opened);
}

void RunDetailsView::showSummary(const RunTable& table, const ShownRunsSummary& s)
{
    showMessage(s.runs == 0 ? tr("No runs shown.")
                            : s.runs == 1 ? tr("<b>1 run shown</b>. Select a run to see everything recorded about it.")
                                          : tr("<b>%1 runs shown</b>. Select a run to see everything recorded about it.").arg(s.runs));
    if (s.runs == 0)
        return;
    tree_->setVisible(false);
    summary_->setVisible(true);
    const auto quoted = [](const QString& v) {
        QString e = v;
        e.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        return QLatin1Char('"') + e + QLatin1Char('"');
    };
    const auto link = [](const QString& target, const QString& text) {
        return QStringLiteral("<a href=\"%1\">%2</a>")
            .arg(QString::fromLatin1(QUrl::toPercentEncoding(target, ":")), text.toHtmlEscaped());
    };
    const auto day = [](int64_t ms) { return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd")); };
    QString h = QStringLiteral("<style>a{text-decoration:none} td{padding:1px 6px 1px 0} h4{margin:10px 0 2px 0}</style>");
    h += QStringLiteral("<h4>%1</h4><table>").arg(tr("Experiments"));
    for (const auto& [name, n] : s.experiments)
        h += QStringLiteral("<tr><td>%1</td><td align=right>%2</td></tr>")
                 .arg(link(QStringLiteral("query:experiment = ") + quoted(name), name)).arg(n);
    h += QStringLiteral("</table><h4>%1</h4><table>").arg(tr("Status"));
    for (const auto& [status, n] : s.statuses)
        h += QStringLiteral("<tr><td><span style='color:%1'>&#9679;</span> %2</td><td align=right>%3</td></tr>")
                 .arg(statusColor(status).name(), link(QStringLiteral("query:status = ") + statusName(status), statusName(status)))
                 .arg(n);
    if (s.starred > 0)
        h += QStringLiteral("<tr><td>&#9733; %1</td><td align=right>%2</td></tr>")
                 .arg(link(QStringLiteral("query:tags.`runlens.starred` = \"true\""), tr("starred")))
                 .arg(s.starred);
    h += QStringLiteral("</table><p>%1</p>").arg(s.firstStart == s.lastStart || day(s.firstStart) == day(s.lastStart)
            ? tr("Started %1").arg(day(s.firstStart))
            : tr("Started %1 to %2").arg(day(s.firstStart), day(s.lastStart)));
    const auto runList = [&](const QString& title, const std::vector<int>& rows, bool withMetric) {
        if (rows.empty())
            return;
        h += QStringLiteral("<h4>%1</h4><table>").arg(title);
        const MetricColumn* m = withMetric ? table.metric(s.metric) : nullptr;
        for (int r : rows) {
            // Runs of one day differ by the hour.
            const QString value = m ? compactNumber(m->last[size_t(r)])
                : day(s.firstStart) == day(s.lastStart)
                ? QDateTime::fromMSecsSinceEpoch(table.startTime(r)).toString(QStringLiteral("HH:mm:ss"))
                : day(table.startTime(r));
            h += QStringLiteral("<tr><td><span style='color:%1'>&#9632;</span> %2</td><td align=right>%3</td></tr>")
                     .arg(runColor(table.id(r)).name(), link(QStringLiteral("run:") + table.id(r), table.name(r)), value.toHtmlEscaped());
        }
        h += QStringLiteral("</table>");
    };
    if (!s.metric.isEmpty())
        runList(s.lowerIsBetter ? tr("Lowest %1").arg(s.metric.toHtmlEscaped()) : tr("Highest %1").arg(s.metric.toHtmlEscaped()),
                s.best, true);
    runList(tr("Newest"), s.newest, false);
    summary_->setHtml(h);
}

QString RunDetailsView::artifactsNote() const
{
    return artifactsNote_->isHidden() ? QString() : artifactsNoteText_->text();
}

void RunDetailsView::showRun(const RunDetails& d)
{
    shown_ = d;
    const QColor c = runColor(d.id);
    const auto time = [](int64_t ms) {
        return ms < 0 ? QString() : QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    };
    header_->setText(QStringLiteral("<span style='color:%1'>&#9632;</span> <b>%2</b> &nbsp; <span style='color:%3'>%4</span><br>"
                                    "<small>%5 · %6</small>")
                         .arg(c.name(), d.name.toHtmlEscaped(), statusColor(d.status).name(), statusName(d.status),
                              d.experiment.toHtmlEscaped(),
                              // A long id is one word: whole, it would set the panel's width.
                              (d.id.size() > 16 ? d.id.left(12) + QChar(0x2026) : d.id).toHtmlEscaped()));
    header_->setToolTip(d.id);
    summary_->setVisible(false);
    tree_->setVisible(true);
    // A refresh of the same run keeps what is being typed; another run does not.
    const bool sameRun = runId_ == d.id;
    runId_ = d.id;
    for (auto [panel, text] : {std::pair{hypothesis_, &d.hypothesis}, std::pair{notes_, &d.notes}}) {
        panel->setVisible(true);
        if (!(sameRun && panel->isEditing()))
            panel->setText(*text);
    }
    tree_->clear();
    auto section = [&](const QString& title, int count = -1) {
        auto* item = new QTreeWidgetItem(tree_, {count < 0 ? title : QStringLiteral("%1 (%2)").arg(title).arg(count)});
        QFont f = item->font(0);
        f.setBold(true);
        item->setFont(0, f);
        item->setFirstColumnSpanned(true);
        item->setExpanded(true);
        return item;
    };
    // `v` as logged; the cell shows it compact, the tooltip and Copy exact.
    auto add = [](QTreeWidgetItem* parent, const QString& k, const QString& v, bool number = false) {
        auto* item = new QTreeWidgetItem(parent, {k, cellText(v, number)});
        item->setData(1, Qt::UserRole, v);
        item->setToolTip(1, v.size() > 60 || item->text(1) != v ? v.left(4000) : QString());
        return item;
    };
    auto* run = section(tr("Run"));
    add(run, tr("id"), d.id);
    add(run, tr("started"), time(d.startTime));
    add(run, tr("ended"), d.endTime < 0 ? tr("(running)") : time(d.endTime));
    add(run, tr("host / pid"), QStringLiteral("%1 / %2").arg(d.host).arg(d.pid));
    add(run, tr("reproducibility hash"), d.reproHash);
    if (!d.parentId.isEmpty())
        add(run, tr("parent run"), d.parentId);
    auto* params = section(tr("Params"), int(d.params.size()));
    for (const auto& p : d.params)
        add(params, p.key, p.value, true)->setToolTip(0, p.type);
    auto* metrics = section(tr("Metrics"), int(d.metrics.size()));
    for (const auto& m : d.metrics)
        add(metrics, m.key,
            tr("last %1 · min %2 · max %3%4 · %5 points (steps %6–%7)")
                .arg(compactNumber(m.last), compactNumber(m.min), compactNumber(m.max),
                    std::isnan(m.mean) ? QString() : tr(" · mean %1").arg(compactNumber(m.mean)))
                .arg(m.count)
                .arg(m.firstStep)
                .arg(m.lastStep))
            ->setToolTip(1, tr("last %1\nmin %2\nmax %3\nmean %4")
                                .arg(numberText(m.last), numberText(m.min), numberText(m.max),
                                    std::isnan(m.mean) ? tr("not recorded") : numberText(m.mean)));
    KeyValues tags;
    for (const auto& [k, v] : d.tags)
        if (showToolTags_ || !isToolInternalTag(k))
            tags.emplace_back(k, v);
    if (!tags.empty() || !d.tags.empty()) {
        auto* tagItems = section(tr("Tags"), int(tags.size()));
        for (const auto& [k, v] : tags)   // the candidate mark's record in words, not its JSON
            add(tagItems, k, k == kCandidateTag ? promotionSummary(v) : v, true);
        if (tags.size() < d.tags.size())
            add(tagItems, tr("(hidden)"), tr("%1 tags of other tools (View > Show Other Tools' Tags)").arg(d.tags.size() - tags.size()))
                ->setForeground(1, palette().color(QPalette::PlaceholderText));
    }
    auto* git = section(tr("Code"));
    if (d.git.present) {
        add(git, tr("commit"), d.git.commit);
        add(git, tr("branch"), d.git.branch);
        add(git, tr("remote"), d.git.remote);
        add(git, tr("repository"), d.git.repoPath);
        auto* dirty = add(git, tr("uncommitted changes"),
                          d.git.dirty ? (d.git.diff.count(QLatin1Char('\n')) == 1 ? tr("yes, 1 diff line") : tr("yes, %1 diff lines").arg(d.git.diff.count(QLatin1Char('\n'))))
                                      : d.git.dirtyText());
        if (d.git.dirty)
            dirty->setToolTip(1, d.git.diff.left(6000));
    } else {
        add(git, tr("git"), tr("not recorded (not run from a git repository)"));
    }
    if (!d.dataVersions.empty()) {
        auto* data = section(tr("Data"), int(d.dataVersions.size()));
        for (const auto& [k, v] : d.dataVersions)
            add(data, k, v);
    }
    auto* env = section(tr("Environment"), int(d.environment.size()));
    QTreeWidgetItem* packages = nullptr;
    for (const auto& [k, v] : d.environment) {
        if (k.startsWith(QLatin1String("package."))) {
            if (!packages) {
                packages = add(env, tr("packages"), QString());
                packages->setExpanded(false);
            }
            add(packages, k.mid(8), v);
        } else {
            add(env, k, v);
        }
    }
    if (packages)
        packages->setText(1, (packages->childCount() == 1 ? tr("1 package") : tr("%1 packages").arg(packages->childCount())));
    artifactFolder_.clear();
    if (!d.artifacts.empty()) {
        auto* art = section(tr("Artifacts"), int(d.artifacts.size()));
        for (const auto& a : d.artifacts) {
            add(art, a.path, a.size >= 0 ? QStringLiteral("%1 bytes · %2").arg(a.size).arg(a.uri) : a.uri);
            if (artifactFolder_.isEmpty() && a.uri.startsWith(QLatin1String("file://"))) {
                const QString file = QUrl(a.uri).toLocalFile();
                QString folder = file.left(file.size() - a.path.size());
                artifactFolder_ = QDir::cleanPath(folder);
            }
        }
    }
    if (!d.events.empty()) {
        // Newest first: the last change is what one looks for.
        auto* history = section(tr("Edit history"), int(d.events.size()));
        history->setExpanded(d.events.size() <= 5);
        const auto shown = [this](const std::optional<QString>& v, const QString& key) {
            if (!v)
                return tr("(none)");
            QString one = (key == kCandidateTag ? promotionSummary(*v) : *v).simplified();
            return one.isEmpty() ? tr("(empty)") : one.size() > 40 ? one.left(40) + QChar(0x2026) : one;
        };
        for (auto it = d.events.rbegin(); it != d.events.rend(); ++it) {
            const QString what = it->field == QLatin1String("tag") ? tr("tag %1").arg(it->key) : it->field;
            auto* item = add(history, QDateTime::fromMSecsSinceEpoch(it->time).toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                             QStringLiteral("%1 · %2: %3 \u2192 %4").arg(it->user, what, shown(it->before, it->key), shown(it->after, it->key)));
            item->setToolTip(1, tr("%1 by %2\nbefore: %3\nafter: %4")
                                    .arg(what, it->user, it->before.value_or(tr("(none)")).left(2000),
                                         it->after.value_or(tr("(none)")).left(2000)));
        }
    }
    openArtifacts_->setVisible(!artifactFolder_.isEmpty());
    artifactsNote_->setVisible(false);
}

} // namespace runlens::ui
