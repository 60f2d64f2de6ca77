// SPDX-License-Identifier: GPL-3.0-or-later
// The Artifacts tab: what the selected runs produced besides numbers, side
// by side. Left, every artifact path and media key any of them has, with
// how many runs have it; right, the chosen one for each run in a grid, its
// header in the run's colour:
//   images       fit or 1:1, zoom and pan locked across runs; a step slider
//                for per-step media (each run shows its nearest step); a
//                difference mode against the first run for same-size images
//   text         side by side, the lines that differ from the first run marked
//   tables       sortable (numbers sort as numbers)
//   confusion    heat maps with counts, recall and precision, and B − A
//   models/files size, sha256, flavors, and "identical to <run>"
// Listing and decoding run off the GUI thread; a newer selection cancels
// the older; decoded items are cached; nothing above kArtifactShowLimit is
// read until the user asks.
//
// Threading: GUI thread only; the work it starts reports back to it.
#pragma once

#include "artifact_catalog.h"
#include "artifact_decoding.h"

#include <QCache>
#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QGridLayout;
class QLabel;
class QScrollArea;
class QSlider;
class QStandardItemModel;
class QToolButton;
class QTreeView;

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class ImageViewState;

class ArtifactsView : public QWidget {
    Q_OBJECT

public:
    // At most this many runs side by side; the rest are named, not shown.
    static constexpr int kMaxRuns = 12;

    explicit ArtifactsView(const Workspace* workspace, QWidget* parent = nullptr);
    ~ArtifactsView() override;

    // Lists the artifacts of `rows` (the merged table's) in the background.
    void setRuns(const std::vector<int>& rows);
    // Shows `path` (an entry of the tree) for every run that has it.
    bool chooseArtifact(const QString& path);
    QString chosenArtifact() const { return chosen_; }
    // Per-step media: shows each run's step nearest `step`.
    void setStep(int64_t step);
    std::optional<int64_t> step() const { return step_; }
    void setDifference(bool on);
    void setFit(bool fit);

    // Lists and decodes on the calling thread (reports, headless snapshots):
    // every call returns with its result on screen.
    void setSynchronous(bool synchronous) { synchronous_ = synchronous; }
    // Lays the grid of cells out `width` wide and as tall as it needs, out
    // of the scroll area (which would size it to its viewport), and hands
    // it to `draw` (a report renders it to SVG); then puts it back.
    void drawGrid(int width, const std::function<void(QWidget& grid)>& draw);

    // For tests and headless snapshots.
    bool isBusy() const;
    void waitForIdle();
    const ArtifactCatalog& catalog() const { return catalog_; }
    QTreeView* tree() const { return tree_; }
    // The cells shown now: one a run (plus a difference cell for matrices).
    QList<QWidget*> cells() const { return cells_; }
    QString message() const;

signals:
    // The chosen artifact is on screen for every run (after decoding).
    void artifactShown(const QString& path);

private:
    struct Shown {
        int run = -1; // index into catalog_.runs()
        ArtifactItem item; // a copy: the catalog may be replaced while it decodes
        DecodedArtifact decoded;
        // Text against the first run's, computed with the decoding: the
        // lines to mark (this run's that differ; for the first run, its
        // lines another run lacks) and how many differ.
        std::vector<bool> markedLines;
        int differingLines = 0;
    };

    void listed(ArtifactCatalog catalog);
    void fillTree();
    void showChosen(bool allowLarge = false);
    void decoded(quint64 generation, std::vector<Shown> shown);
    static void markTextDifferences(std::vector<Shown>& shown);
    void buildCells(const std::vector<Shown>& shown);
    QWidget* cellFor(const Shown& shown, const std::vector<Shown>& all, int index);
    QWidget* headerFor(const Shown& shown, const QString& detail) const;
    void clearCells();
    void setMessage(const QString& text);
    QString cacheKey(int run, const ArtifactItem& item) const;

    const Workspace* workspace_;
    bool synchronous_ = false;
    QLabel* summary_;
    QTreeView* tree_;
    QStandardItemModel* model_;
    QLabel* title_;
    QToolButton* fit_;
    QToolButton* oneToOne_;
    QCheckBox* difference_;
    QSlider* slider_;
    QLabel* stepLabel_;
    QLabel* message_;
    QScrollArea* scroll_;
    QWidget* grid_;
    QGridLayout* gridLayout_;
    QList<QWidget*> cells_;
    ImageViewState* imageState_;

    std::vector<int> rows_;
    ArtifactCatalog catalog_;
    QString chosen_;
    std::optional<int64_t> step_;
    bool fillingTree_ = false;
    quint64 generation_ = 0; // the newest listing or decoding asked for
    std::shared_ptr<std::atomic<bool>> cancelListing_;
    QFutureWatcher<ArtifactCatalog>* listing_;
    int decoding_ = 0; // decodings running
    QCache<QString, DecodedArtifact> cache_; // cost: bytes
};

} // namespace runlens::ui
