// SPDX-License-Identifier: GPL-3.0-or-later
#include "artifacts_view.h"

#include "artifact_files.h"

#include "confusion_matrix_widget.h"
#include "data_table.h"
#include "image_pane.h"
#include "number_text.h"
#include "run_colors.h"
#include "text_line_diff.h"
#include "workspace.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <map>

namespace runlens::ui {

namespace {

constexpr int kPathRole = Qt::UserRole + 1;

QString sizeText(int64_t bytes)
{
    return bytes < 0 ? QString() : QLocale().formattedDataSize(bytes);
}

// A file's sha256 as the store knows it, else from its bytes.
QString digestOf(StoreReader& reader, const QString& root, const ArtifactItem& item)
{
    if (!item.sha256.isEmpty())
        return item.sha256;
    auto bytes = reader.loadArtifactBytes(root, item, kArtifactHardLimit);
    return bytes ? QString::fromLatin1(QCryptographicHash::hash(*bytes, QCryptographicHash::Sha256).toHex()) : QString();
}

// A model folder's identity: its files' paths and contents.
QString folderDigest(StoreReader& reader, const RunArtifacts& artifacts, const QString& folder)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const QString prefix = folder == QStringLiteral("(model)") ? QString() : folder + QLatin1Char('/');
    bool any = false;
    for (const auto& item : artifacts.items) {
        if (item.kind == ArtifactKind::Model || !item.path.startsWith(prefix))
            continue;
        const QString digest = digestOf(reader, artifacts.root, item);
        if (digest.isEmpty())
            return {};
        hash.addData(item.path.mid(prefix.size()).toUtf8() + '\0' + digest.toLatin1() + '\n');
        any = true;
    }
    return any ? QString::fromLatin1(hash.result().toHex()) : QString();
}

// |a − b| as a picture: white where the pixels agree, red as they differ.
QImage differenceImage(const QImage& a, const QImage& b, double* differing)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    QImage out(x.size(), QImage::Format_RGB32);
    int64_t changed = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto* p = reinterpret_cast<const QRgb*>(x.constScanLine(row));
        const auto* q = reinterpret_cast<const QRgb*>(y.constScanLine(row));
        auto* o = reinterpret_cast<QRgb*>(out.scanLine(row));
        for (int col = 0; col < x.width(); ++col) {
            const int d = std::max({std::abs(qRed(p[col]) - qRed(q[col])), std::abs(qGreen(p[col]) - qGreen(q[col])),
                std::abs(qBlue(p[col]) - qBlue(q[col]))});
            changed += d > 0;
            o[col] = qRgb(255, 255 - d, 255 - d);
        }
    }
    *differing = x.width() * x.height() > 0 ? double(changed) / double(x.width() * x.height()) : 0.0;
    return out;
}

void markLines(QPlainTextEdit* edit, const std::vector<bool>& lines, const QColor& colour)
{
    QList<QTextEdit::ExtraSelection> marks;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (!lines[i])
            continue;
        QTextEdit::ExtraSelection mark;
        mark.format.setBackground(colour);
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.cursor = QTextCursor(edit->document()->findBlockByNumber(int(i)));
        marks << mark;
    }
    edit->setExtraSelections(marks);
}

QTableWidget* tableWidget(const DataTable& table)
{
    auto* view = new QTableWidget(int(table.rows.size()), int(table.columns.size()));
    view->setHorizontalHeaderLabels(table.columns);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int r = 0; r < int(table.rows.size()); ++r) {
        const QStringList& row = table.rows[size_t(r)];
        for (int c = 0; c < int(row.size()) && c < int(table.columns.size()); ++c) {
            auto* cell = new QTableWidgetItem;
            bool number = false;
            const double v = row[c].toDouble(&number);
            // Numbers as numbers, so a column sorts 2 before 10.
            if (number)
                cell->setData(Qt::DisplayRole, v);
            else
                cell->setText(row[c]);
            view->setItem(r, c, cell);
        }
    }
    view->setSortingEnabled(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->resizeColumnsToContents();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    return view;
}

} // namespace

ArtifactsView::ArtifactsView(const Workspace* workspace, QWidget* parent)
    : QWidget(parent)
    , workspace_(workspace)
    , cancelListing_(std::make_shared<std::atomic<bool>>(false))
    , listing_(new QFutureWatcher<ArtifactCatalog>(this))
    , cache_(256 << 20)
{
    auto* split = new QSplitter(Qt::Horizontal);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    leftLayout->addWidget(summary_);
    tree_ = new QTreeView;
    tree_->setObjectName(QStringLiteral("artifactTree"));
    model_ = new QStandardItemModel(this);
    // Two columns: a narrow panel must still show the names; the kind is
    // in each row's tooltip and the title above the grid.
    model_->setHorizontalHeaderLabels({tr("Artifact"), tr("Runs")});
    tree_->setModel(model_);
    tree_->setUniformRowHeights(true);
    tree_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    leftLayout->addWidget(tree_);
    split->addWidget(left);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    title_ = new QLabel;
    title_->setTextFormat(Qt::PlainText);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    // A long key must not widen the tab, and through it the window's other views.
    title_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    title_->setMinimumWidth(40);
    bar->addWidget(title_, 1);
    fit_ = new QToolButton;
    fit_->setText(tr("Fit"));
    fit_->setCheckable(true);
    fit_->setChecked(true);
    fit_->setToolTip(tr("Fit each image to its cell"));
    oneToOne_ = new QToolButton;
    oneToOne_->setText(tr("1:1"));
    oneToOne_->setToolTip(tr("One image pixel a screen pixel; wheel zooms and drag pans every image together"));
    difference_ = new QCheckBox(tr("Difference"));
    difference_->setToolTip(tr("Show each image's difference from the first run's (same size only)"));
    slider_ = new QSlider(Qt::Horizontal);
    slider_->setObjectName(QStringLiteral("stepSlider"));
    slider_->setMinimumWidth(80);
    stepLabel_ = new QLabel;
    for (QWidget* w : {static_cast<QWidget*>(fit_), static_cast<QWidget*>(oneToOne_), static_cast<QWidget*>(difference_),
             static_cast<QWidget*>(slider_), static_cast<QWidget*>(stepLabel_)})
        bar->addWidget(w);
    rightLayout->addLayout(bar);
    message_ = new QLabel;
    message_->setWordWrap(true);
    message_->setTextFormat(Qt::PlainText);
    rightLayout->addWidget(message_);
    scroll_ = new QScrollArea;
    scroll_->setWidgetResizable(true);
    grid_ = new QWidget;
    gridLayout_ = new QGridLayout(grid_);
    gridLayout_->setContentsMargins(4, 4, 4, 4);
    gridLayout_->setSpacing(8);
    scroll_->setWidget(grid_);
    rightLayout->addWidget(scroll_, 1);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({280, 900});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    imageState_ = new ImageViewState(this);
    connect(fit_, &QToolButton::clicked, this, [this] { setFit(true); });
    connect(oneToOne_, &QToolButton::clicked, this, [this] { setFit(false); });
    connect(imageState_, &ImageViewState::changed, this, [this] { fit_->setChecked(imageState_->fit()); });
    connect(difference_, &QCheckBox::toggled, this, [this](bool) { showChosen(); });
    connect(slider_, &QSlider::valueChanged, this, [this](int index) {
        const auto* entry = catalog_.entry(chosen_);
        if (!entry || index < 0 || index >= int(entry->steps.size()))
            return;
        if (step_ == entry->steps[size_t(index)])
            return;
        step_ = entry->steps[size_t(index)];
        showChosen();
    });
    connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (fillingTree_)
            return;
        const QString path = current.siblingAtColumn(0).data(kPathRole).toString();
        if (!path.isEmpty() && path != chosen_)
            chooseArtifact(path);
    });
    connect(listing_, &QFutureWatcher<ArtifactCatalog>::finished, this, [this] {
        if (!listing_->future().isCanceled() && !cancelListing_->load())
            listed(listing_->result());
    });
    setRuns({});
}

ArtifactsView::~ArtifactsView()
{
    cancelListing_->store(true);
    listing_->waitForFinished();
}

void ArtifactsView::setRuns(const std::vector<int>& rows)
{
    rows_ = rows;
    cancelListing_->store(true);
    cancelListing_ = std::make_shared<std::atomic<bool>>(false);
    ++generation_;
    if (rows.empty()) {
        catalog_ = {};
        fillTree();
        clearCells();
        title_->clear();
        setMessage(tr("Select runs to see what they produced: images, tables, text, confusion matrices and models, "
                      "side by side."));
        summary_->clear();
        return;
    }
    const std::vector<int> first(rows.begin(), rows.begin() + std::min<ptrdiff_t>(kMaxRuns, ptrdiff_t(rows.size())));
    auto sources = ArtifactCatalog::sourcesOf(*workspace_, first);
    if (synchronous_) {
        listed(ArtifactCatalog::load(std::move(sources)));
        return;
    }
    summary_->setText(tr("Listing the artifacts of %1…").arg(countText(qint64(sources.size()), "run", "runs")));
    auto flag = cancelListing_;
    listing_->setFuture(QtConcurrent::run([sources = std::move(sources), flag]() mutable {
        return ArtifactCatalog::load(std::move(sources), flag.get());
    }));
}

void ArtifactsView::listed(ArtifactCatalog catalog)
{
    catalog_ = std::move(catalog);
    const int total = int(rows_.size());
    QStringList notes;
    int withNothing = 0;
    for (const auto& run : catalog_.runs()) {
        if (!run.error.isEmpty())
            notes << tr("%1: %2").arg(run.source.name, run.error);
        for (const QString& p : run.artifacts.problems)
            notes << tr("%1: %2").arg(run.source.name, p);
        withNothing += run.artifacts.items.empty() && run.error.isEmpty();
    }
    QString text = tr("%1 across %2")
                       .arg(countText(qint64(catalog_.entries().size()), "artifact", "artifacts"),
                           countText(qint64(catalog_.runs().size()), "run", "runs"));
    if (total > kMaxRuns)
        text += tr(" (the first %1 of %2 selected)").arg(kMaxRuns).arg(total);
    if (withNothing > 0)
        text += tr("; %L1 logged none").arg(withNothing);
    summary_->setText(text);
    summary_->setToolTip(notes.join(QLatin1Char('\n')));
    fillTree();
    // Keep what the user was looking at; else the first picture, table or matrix.
    QString next = catalog_.entry(chosen_) ? chosen_ : QString();
    for (ArtifactKind wanted : {ArtifactKind::Image, ArtifactKind::ConfusionMatrix, ArtifactKind::Table, ArtifactKind::Text}) {
        for (const auto& e : catalog_.entries())
            if (next.isEmpty() && e.kind == wanted)
                next = e.path;
    }
    if (next.isEmpty() && !catalog_.entries().empty())
        next = catalog_.entries().front().path;
    if (next.isEmpty()) {
        chosen_.clear();
        clearCells();
        title_->clear();
        setMessage(notes.isEmpty() ? tr("These runs logged no artifacts or media.") : notes.join(QLatin1Char('\n')));
        return;
    }
    chooseArtifact(next);
}

void ArtifactsView::fillTree()
{
    fillingTree_ = true;
    model_->removeRows(0, model_->rowCount());
    std::map<QString, QStandardItem*> folders;
    const int runCount = int(catalog_.runs().size());
    for (const auto& e : catalog_.entries()) {
        QStandardItem* parent = model_->invisibleRootItem();
        const QStringList parts = e.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        QString prefix;
        for (int i = 0; i + 1 < parts.size(); ++i) {
            prefix += (prefix.isEmpty() ? QString() : QStringLiteral("/")) + parts[i];
            auto it = folders.find(prefix);
            if (it == folders.end()) {
                auto* folder = new QStandardItem(parts[i]);
                parent->appendRow({folder, new QStandardItem});
                it = folders.emplace(prefix, folder).first;
            }
            parent = it->second;
        }
        // A model folder is an entry and a folder of files at once.
        QStandardItem* name = nullptr;
        if (auto it = folders.find(e.path); it != folders.end()) {
            name = it->second;
        } else {
            name = new QStandardItem(parts.isEmpty() ? e.path : parts.back());
            parent->appendRow({name, new QStandardItem});
            folders.emplace(e.path, name);
        }
        name->setData(e.path, kPathRole);
        QString kind = artifactKindText(e.kind);
        if (!e.format.isEmpty() && e.kind != ArtifactKind::Model)
            kind += QStringLiteral(" (%1)").arg(e.format);
        if (!e.steps.empty())
            kind += QStringLiteral(", ") + countText(qint64(e.steps.size()), "step", "steps");
        QStringList names;
        for (int r : e.runs)
            names << catalog_.runs()[size_t(r)].source.name;
        name->setToolTip(tr("%1\n%2\nIn: %3").arg(e.path, kind, names.join(QStringLiteral(", "))));
        const QModelIndex index = name->index();
        model_->setData(index.siblingAtColumn(1), QStringLiteral("%1/%2").arg(e.runs.size()).arg(runCount));
        model_->setData(index.siblingAtColumn(1), name->toolTip(), Qt::ToolTipRole);
    }
    tree_->expandAll();
    fillingTree_ = false;
}

bool ArtifactsView::chooseArtifact(const QString& path)
{
    const auto* entry = catalog_.entry(path);
    if (!entry)
        return false;
    if (path != chosen_) {
        chosen_ = path;
        // The latest step first: where training ended.
        step_ = entry->steps.empty() ? std::nullopt : std::optional<int64_t>(entry->steps.back());
    } else if (step_ && !entry->steps.empty()
        && !std::binary_search(entry->steps.begin(), entry->steps.end(), *step_)) {
        step_ = entry->steps.back();
    }
    // Select it in the tree without coming back here.
    fillingTree_ = true;
    const auto found = model_->match(model_->index(0, 0), kPathRole, path, 1, Qt::MatchExactly | Qt::MatchRecursive);
    if (!found.isEmpty())
        tree_->setCurrentIndex(found.front());
    fillingTree_ = false;
    showChosen();
    return true;
}

void ArtifactsView::setStep(int64_t step)
{
    const auto* entry = catalog_.entry(chosen_);
    if (!entry || entry->steps.empty())
        return;
    const auto it = std::lower_bound(entry->steps.begin(), entry->steps.end(), step);
    const int index = it == entry->steps.end() ? int(entry->steps.size()) - 1 : int(it - entry->steps.begin());
    step_ = entry->steps[size_t(index)];
    showChosen();
}

void ArtifactsView::setDifference(bool on)
{
    difference_->setChecked(on);
}

void ArtifactsView::setFit(bool fit)
{
    if (fit)
        imageState_->setFit();
    else
        imageState_->setZoom(1.0, imageState_->center());
}

QString ArtifactsView::cacheKey(int run, const ArtifactItem& item) const
{
    if (item.inStore())
        return QStringLiteral("blob:") + item.sha256;
    // A file, or a record inside one (TensorBoard: every step's pictures
    // share the event file); written again since, it is read again.
    const auto& r = catalog_.runs()[size_t(run)];
    const QString file = r.artifacts.root + QLatin1Char('/') + item.file;
    return QStringLiteral("%1@%2#%3:%4/%5").arg(file).arg(item.offset).arg(item.part).arg(item.size)
        .arg(QFileInfo(file).lastModified().toMSecsSinceEpoch());
}

void ArtifactsView::showChosen(bool allowLarge)
{
    const auto* entry = catalog_.entry(chosen_);
    if (!entry)
        return;
    title_->setText(QStringLiteral("%1 · %2").arg(chosen_, artifactKindText(entry->kind)));
    const bool images = entry->kind == ArtifactKind::Image;
    fit_->setVisible(images);
    oneToOne_->setVisible(images);
    difference_->setVisible(images && entry->runs.size() > 1);
    slider_->setVisible(!entry->steps.empty());
    stepLabel_->setVisible(!entry->steps.empty());
    if (!entry->steps.empty()) {
        const QSignalBlocker block(slider_);
        slider_->setRange(0, int(entry->steps.size()) - 1);
        const auto it = std::lower_bound(entry->steps.begin(), entry->steps.end(), step_.value_or(entry->steps.back()));
        slider_->setValue(it == entry->steps.end() ? slider_->maximum() : int(it - entry->steps.begin()));
        stepLabel_->setText(tr("step %L1").arg(step_.value_or(0)));
    }
    std::vector<Shown> shown;
    for (int r : entry->runs) {
        const ArtifactItem* item = catalog_.itemAt(r, chosen_, step_);
        if (!item)
            continue;
        Shown s{r, *item, {}, {}, 0};
        if (auto* hit = cache_.object(cacheKey(r, *item)); hit && !allowLarge)
            s.decoded = *hit;
        shown.push_back(std::move(s));
    }
    const quint64 generation = ++generation_;
    setMessage(tr("Reading…"));
    // Readers and roots copied: the task must not touch the catalog, which
    // a newer listing may replace meanwhile.
    struct Job {
        Shown shown;
        std::shared_ptr<StoreReader> reader;
        RunArtifacts artifacts;
    };
    std::vector<Job> jobs;
    for (auto& s : shown) {
        const auto& run = catalog_.runs()[size_t(s.run)];
        jobs.push_back({std::move(s), run.source.reader, run.artifacts});
    }
    const int64_t limit = allowLarge ? kArtifactHardLimit : kArtifactShowLimit;
    auto work = [jobs = std::move(jobs), limit]() mutable {
        std::vector<Shown> out;
        for (auto& job : jobs) {
            Shown s = std::move(job.shown);
            if (s.decoded.bytes.isEmpty() && s.decoded.error.isEmpty()) {
                s.decoded = decodeArtifact(*job.reader, job.artifacts.root, s.item, limit);
                if (s.item.kind == ArtifactKind::Model)
                    s.decoded.sha256 = folderDigest(*job.reader, job.artifacts, s.item.path);
            }
            out.push_back(std::move(s));
        }
        markTextDifferences(out);
        return out;
    };
    if (synchronous_) {
        decoded(generation, work());
        return;
    }
    auto* watcher = new QFutureWatcher<std::vector<Shown>>(this);
    ++decoding_;
    connect(watcher, &QFutureWatcher<std::vector<Shown>>::finished, this, [this, watcher, generation] {
        --decoding_;
        watcher->deleteLater();
        decoded(generation, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

void ArtifactsView::markTextDifferences(std::vector<Shown>& shown)
{
    if (shown.size() < 2 || shown.front().item.kind != ArtifactKind::Text)
        return;
    const QByteArray& first = shown.front().decoded.bytes;
    std::vector<bool>& removed = shown.front().markedLines;
    for (size_t i = 1; i < shown.size(); ++i) {
        const auto d = diffTextLines(first, shown[i].decoded.bytes);
        removed.resize(d.removedFromA.size(), false);
        for (size_t l = 0; l < d.removedFromA.size(); ++l)
            removed[l] = removed[l] || d.removedFromA[l];
        shown[i].markedLines = d.addedInB;
        shown[i].differingLines = int(std::count(d.addedInB.begin(), d.addedInB.end(), true));
        // Lines only removed still make the texts differ.
        if (!d.identical && shown[i].differingLines == 0)
            shown[i].differingLines = int(std::count(d.removedFromA.begin(), d.removedFromA.end(), true));
    }
}

void ArtifactsView::decoded(quint64 generation, std::vector<Shown> shown)
{
    if (generation != generation_)
        return; // a newer choice or selection is on its way
    for (const auto& s : shown)
        if (s.decoded.error.isEmpty() && s.run < int(catalog_.runs().size()))
            cache_.insert(cacheKey(s.run, s.item), new DecodedArtifact(s.decoded),
                std::max<qsizetype>(1, s.decoded.bytes.size() + qsizetype(s.decoded.image.sizeInBytes())));
    buildCells(shown);
    emit artifactShown(chosen_);
}

void ArtifactsView::clearCells()
{
    // Out of the grid at once (a report draws it before the event loop
    // deletes them); deleted later, as a cell's button may be calling.
    for (QWidget* w : std::as_const(cells_)) {
        gridLayout_->removeWidget(w);
        w->hide();
        w->deleteLater();
    }
    cells_.clear();
}

void ArtifactsView::setMessage(const QString& text)
{
    message_->setText(text);
    message_->setVisible(!text.isEmpty());
}

QString ArtifactsView::message() const
{
    return message_->text();
}

QWidget* ArtifactsView::headerFor(const Shown& shown, const QString& detail) const
{
    const auto& run = catalog_.runs()[size_t(shown.run)];
    auto* header = new QLabel;
    header->setTextFormat(Qt::RichText);
    // A long run name wraps rather than widen the cell past the view.
    header->setWordWrap(true);
    header->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    const QColor colour = runColor(run.source.id);
    header->setText(QStringLiteral("<span style='color:%1'>■</span> <b>%2</b> <span style='color:gray'>%3</span>")
                        .arg(colour.name(), run.source.name.toHtmlEscaped(), detail.toHtmlEscaped()));
    header->setToolTip(run.source.id);
    header->setStyleSheet(QStringLiteral("QLabel { border-bottom: 2px solid %1; padding-bottom: 2px; }").arg(colour.name()));
    return header;
}

QWidget* ArtifactsView::cellFor(const Shown& s, const std::vector<Shown>& all, int index)
{
    const ArtifactItem& item = s.item;
    QStringList detail;
    if (item.stepped)
        detail << tr("step %L1").arg(item.step);
    auto* cell = new QFrame;
    cell->setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(cell);
    layout->setContentsMargins(6, 6, 6, 6);
    const Shown& first = all.front();
    const QString firstName = catalog_.runs()[size_t(first.run)].source.name;
    QWidget* content = nullptr;

    if (!s.decoded.error.isEmpty() && s.decoded.image.isNull() && s.decoded.bytes.isEmpty()) {
        auto* box = new QWidget;
        auto* v = new QVBoxLayout(box);
        auto* why = new QLabel(s.decoded.error);
        why->setWordWrap(true);
        v->addWidget(why);
        if (s.decoded.tooLarge) {
            auto* load = new QPushButton(tr("Load Anyway"));
            connect(load, &QPushButton::clicked, this, [this] { showChosen(true); });
            v->addWidget(load, 0, Qt::AlignLeft);
        }
        v->addStretch();
        content = box;
    } else if (item.kind == ArtifactKind::Image) {
        auto* pane = new ImagePane(imageState_);
        QImage image = s.decoded.image;
        if (!image.isNull())
            detail << QStringLiteral("%1 × %2").arg(image.width()).arg(image.height());
        if (difference_->isChecked() && index > 0) {
            const QImage& base = first.decoded.image;
            if (!base.isNull() && base.size() == image.size()) {
                double differing = 0;
                image = differenceImage(base, image, &differing);
                detail << tr("%1% of pixels differ from %2").arg(differing * 100.0, 0, 'f', 1).arg(firstName);
            } else {
                detail << tr("not the size of %1's: no difference").arg(firstName);
            }
        }
        if (!item.caption.isEmpty())
            detail << item.caption;
        if (!s.decoded.error.isEmpty())
            detail << s.decoded.error;
        pane->setImage(image);
        pane->setMinimumHeight(200);
        content = pane;
    } else if (item.kind == ArtifactKind::ConfusionMatrix) {
        auto matrix = ConfusionMatrix::parse(s.decoded.bytes);
        if (matrix) {
            if (auto acc = matrix->accuracy())
                detail << tr("accuracy %1%").arg(*acc * 100.0, 0, 'f', 1);
            auto* w = new ConfusionMatrixWidget;
            w->setMatrix(*matrix);
            w->setMinimumHeight(240);
            content = w;
        } else {
            content = new QLabel(matrix.error());
        }
    } else if (item.kind == ArtifactKind::Table
        || (item.kind == ArtifactKind::Text && item.format == QStringLiteral("json")
            && DataTable::isTableJson(s.decoded.bytes))) {
        const DataTable table = DataTable::parse(s.decoded.bytes, item.format);
        detail << countText(qint64(table.rows.size()), "row", "rows");
        if (!table.problem.isEmpty())
            detail << table.problem;
        auto* view = tableWidget(table);
        view->setMinimumHeight(220);
        content = view;
    } else if (item.kind == ArtifactKind::Text) {
        auto* edit = new QPlainTextEdit;
        edit->setReadOnly(true);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        edit->setPlainText(QString::fromUtf8(s.decoded.bytes));
        edit->setMinimumHeight(220);
        // Each run against the first (markTextDifferences): its own lines
        // that differ, in green; the first run's lines that another lacks, in red.
        if (all.size() > 1) {
            markLines(edit, s.markedLines, index == 0 ? QColor(255, 220, 220) : QColor(210, 245, 210));
            const int changed = s.differingLines;
            if (index > 0)
                detail << (changed == 0 ? tr("same as %1").arg(firstName)
                                        : tr("%1 from %2").arg(changed == 1 ? tr("1 line differs") : tr("%L1 lines differ").arg(changed), firstName));
        }
        content = edit;
    } else {
        // A model folder or any other file: what it is, and whether it is another run's.
        QStringList lines;
        if (item.kind == ArtifactKind::Model) {
            const QStringList flavors = mlmodelFlavors(s.decoded.bytes);
            lines << tr("Model (MLflow format)%1").arg(flavors.isEmpty() ? QString() : tr(": %1").arg(flavors.join(QStringLiteral(", "))));
        }
        if (item.size >= 0)
            lines << tr("Size: %1").arg(sizeText(item.size));
        if (!s.decoded.sha256.isEmpty())
            lines << tr("sha256: %1").arg(s.decoded.sha256);
        for (int i = 0; i < index; ++i)
            if (!s.decoded.sha256.isEmpty() && all[size_t(i)].decoded.sha256 == s.decoded.sha256) {
                lines << tr("Identical to %1").arg(catalog_.runs()[size_t(all[size_t(i)].run)].source.name);
                break;
            }
        if (!item.remoteUri.isEmpty())
            lines << tr("Kept at %1").arg(item.remoteUri);
        auto* label = new QLabel(lines.join(QLatin1Char('\n')));
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
        label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        content = label;
    }
    layout->addWidget(headerFor(s, detail.join(QStringLiteral(" · "))));
    layout->addWidget(content, 1);
    return cell;
}

void ArtifactsView::buildCells(const std::vector<Shown>& shown)
{
    clearCells();
    setMessage({});
    const auto* entry = catalog_.entry(chosen_);
    if (!entry || shown.empty())
        return;
    QStringList without;
    for (int r = 0; r < int(catalog_.runs().size()); ++r)
        if (std::find(entry->runs.begin(), entry->runs.end(), r) == entry->runs.end())
            without << catalog_.runs()[size_t(r)].source.name;
    if (!without.isEmpty())
        setMessage(tr("Not logged by: %1").arg(without.join(QStringLiteral(", "))));
    for (int i = 0; i < int(shown.size()); ++i)
        cells_ << cellFor(shown[size_t(i)], shown, i);
    // Two runs' confusion matrices: what changed between them, as a matrix.
    if (entry->kind == ArtifactKind::ConfusionMatrix && shown.size() >= 2) {
        auto a = ConfusionMatrix::parse(shown[0].decoded.bytes);
        auto b = ConfusionMatrix::parse(shown[1].decoded.bytes);
        if (a && b) {
            auto* cell = new QFrame;
            cell->setFrameShape(QFrame::StyledPanel);
            auto* layout = new QVBoxLayout(cell);
            layout->setContentsMargins(6, 6, 6, 6);
            auto* title = new QLabel(tr("<b>Difference</b> <span style='color:gray'>%1 − %2</span>")
                                         .arg(catalog_.runs()[size_t(shown[1].run)].source.name.toHtmlEscaped(),
                                             catalog_.runs()[size_t(shown[0].run)].source.name.toHtmlEscaped()));
            layout->addWidget(title);
            auto* w = new ConfusionMatrixWidget;
            w->setObjectName(QStringLiteral("confusionDifference"));
            w->setMatrix(ConfusionMatrix::difference(*a, *b), true);
            w->setMinimumHeight(240);
            layout->addWidget(w, 1);
            cells_ << cell;
        }
    }
    const int n = int(cells_.size());
    const int columns = n <= 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : 4;
    for (int i = 0; i < n; ++i)
        gridLayout_->addWidget(cells_[i], i / columns, i % columns);
    for (int c = 0; c < 4; ++c)
        gridLayout_->setColumnStretch(c, c < columns ? 1 : 0);
}

void ArtifactsView::drawGrid(int width, const std::function<void(QWidget& grid)>& draw)
{
    QWidget* grid = scroll_->takeWidget();
    grid->resize(width, 100);
    gridLayout_->activate();
    grid->resize(width, std::max(100, gridLayout_->totalHeightForWidth(width)));
    gridLayout_->activate();
    draw(*grid);
    scroll_->setWidget(grid);
}

bool ArtifactsView::isBusy() const
{
    return listing_->isRunning() || decoding_ > 0;
}

void ArtifactsView::waitForIdle()
{
    QElapsedTimer timer;
    timer.start();
    // Idle twice in a row: a listing that finished queues the decoding it starts.
    while (timer.elapsed() < 60000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!isBusy()) {
            QCoreApplication::processEvents();
            if (!isBusy())
                break;
        }
        QThread::msleep(2);
    }
}

} // namespace runlens::ui
