// SPDX-License-Identifier: GPL-3.0-or-later
// File > Export Report: what goes into the comparison report (title, notes,
// sections, metrics, artifacts side by side) beside a live preview of it,
// then Save as HTML or PDF.
// The preview is the very document the PDF is printed from.
//
// Threading: the curves load on the workspace's pool (a busy bar shows it;
// closing the dialog drops what is in flight); the report is assembled on
// the GUI thread from cached series a piece per event-loop turn (the
// figures are drawn by widgets), and the file is written on a pool thread
// (a PDF of many pages takes a second).
#pragma once

#include "artifact_catalog.h"
#include "comparison_report.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;
class QTextDocument;

namespace runlens::ui {

class ReportDialog : public QDialog {
    Q_OBJECT

public:
    // `rows` are rows of the workspace's merged table, in report order.
    ReportDialog(Workspace& workspace, std::vector<int> rows, QWidget* parent = nullptr);
    ~ReportDialog() override;

    ReportOptions options() const;
    // Other tools' internal tags among the differences (off unless the window shows them).
    void setShowToolTags(bool show);
    // The report as last built (what the preview shows); none while curves load.
    const std::optional<ComparisonReport>& report() const { return report_; }
    // A change is waiting for the preview to follow it.
    bool isBuilding() const { return debounce_.isActive() || building_; }
    // Writes the current report on a pool thread (.html or .pdf); saved()
    // follows, or a warning. The Save button asks for the path, then this.
    void saveAs(const QString& path);

signals:
    void previewUpdated();
    void saved(const QString& path);
    void saveFailed(const QString& message);

private:
    void scheduleRebuild();
    void rebuild();
    void build();
    void buildStep();
    void save();

    Workspace& workspace_;
    QStringList runIds_;     // what the user chose, by id
    std::vector<int> rows_;  // where they are in the workspace's table now
    QLineEdit* title_;
    QPlainTextEdit* notes_;
    QComboBox* axis_;
    std::vector<std::pair<QCheckBox*, bool ReportSections::*>> sections_;
    QCheckBox* toolTags_; // other tools' internal tags among the differences
    QLineEdit* metricFilter_;
    QListWidget* metrics_;
    QListWidget* artifacts_; // listed off the GUI thread; none chosen at first
    QFutureWatcher<ArtifactCatalog> artifactListing_;
    QTextBrowser* preview_;
    QLabel* status_;
    QProgressBar* busy_;
    QPushButton* save_;
    QTimer debounce_;
    quint64 ticket_;
    bool building_ = false;
    std::unique_ptr<ComparisonReport::Builder> builder_;
    std::optional<ComparisonReport> report_;
    std::unique_ptr<QTextDocument> shown_; // the preview's document
    QFutureWatcher<Result<bool>> writer_;
};

} // namespace runlens::ui
