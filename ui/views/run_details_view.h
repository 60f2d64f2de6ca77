// SPDX-License-Identifier: GPL-3.0-or-later
// Everything recorded about the current run, in sections: params, tags,
// notes, git, data versions, environment, artifacts. Values read compact
// (value_text.h); the exact value is the tooltip, Ctrl+C, and for a long one a
// viewer on double-click. Other tools' internal tags are left out unless shown.
#pragma once

#include "run_details.h"
#include "run_edit.h"
#include "shown_runs_summary.h"

#include <QUrl>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
namespace runlens::ui {
class NotesPanel;
}
class QTextBrowser;
class QTreeWidget;
class QPushButton;

namespace runlens::ui {

class RunDetailsView : public QWidget {
    Q_OBJECT

public:
    explicit RunDetailsView(QWidget* parent = nullptr);
    void showRun(const RunDetails& details);
    void showMessage(const QString& message);
    // Nothing selected: what is shown, in a few clickable lines.
    void showSummary(const RunTable& table, const ShownRunsSummary& summary);
    QTextBrowser* summaryView() const { return summary_; }
    void setShowToolTags(bool show);
    bool showToolTags() const { return showToolTags_; }
    QTreeWidget* tree() const { return tree_; }
    // What opens a folder: the desktop's file manager unless a test says.
    void setFolderOpener(std::function<bool(const QUrl&)> opener) { opener_ = std::move(opener); }
    void openArtifactsFolder();
    // Said under the button when no file manager opened the folder.
    QString artifactsNote() const;
    // Notes and hypothesis are edited in place when one run is shown.
    void setEditable(bool editable);
    NotesPanel* notesPanel() const { return notes_; }
    NotesPanel* hypothesisPanel() const { return hypothesis_; }

signals:
    // The user saved a note or hypothesis of the run shown (field: Notes or Hypothesis).
    void textEdited(const QString& runId, runlens::RunField field, const QString& before, const QString& after);
    // From the summary: a run to select, a query to apply.
    void runActivated(const QString& runId);
    void queryRequested(const QString& query);

private:
    QLabel* header_;
    NotesPanel* hypothesis_;
    NotesPanel* notes_;
    QString runId_;
    QTreeWidget* tree_;
    QTextBrowser* summary_;
    QPushButton* openArtifacts_;
    QWidget* artifactsNote_;
    QLabel* artifactsNoteText_;
    QString artifactFolder_;
    std::optional<RunDetails> shown_; // shown again when the tags shown change
    bool showToolTags_ = false;
    std::function<bool(const QUrl&)> opener_;
};

} // namespace runlens::ui
