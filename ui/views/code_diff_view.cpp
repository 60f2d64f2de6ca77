// SPDX-License-Identifier: GPL-3.0-or-later
#include "code_diff_view.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSyntaxHighlighter>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

class DiffHighlighter : public QSyntaxHighlighter {
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString& line) override
    {
        QTextCharFormat f;
        if (line.startsWith(QLatin1String("+++")) || line.startsWith(QLatin1String("---"))
            || line.startsWith(QLatin1String("diff ")) || line.startsWith(QLatin1String("index "))) {
            f.setFontWeight(QFont::Bold);
        } else if (line.startsWith(QLatin1Char('+'))) {
            f.setForeground(QColor(0x1b, 0x7f, 0x37));
            f.setBackground(QColor(0xe6, 0xff, 0xec));
        } else if (line.startsWith(QLatin1Char('-'))) {
            f.setForeground(QColor(0xb3, 0x1d, 0x28));
            f.setBackground(QColor(0xff, 0xeb, 0xe9));
        } else if (line.startsWith(QLatin1String("@@"))) {
            f.setForeground(QColor(0x05, 0x50, 0xae));
        } else if (line.startsWith(QLatin1String("###"))) {
            f.setFontWeight(QFont::Bold);
            f.setFontPointSize(document()->defaultFont().pointSizeF() * 1.15);
        } else {
            return;
        }
        setFormat(0, int(line.size()), f);
    }
};

} // namespace

CodeDiffView::CodeDiffView(QWidget* parent) : QWidget(parent)
{
    header_ = new QLabel;
    header_->setWordWrap(true);
    text_ = new QPlainTextEdit;
    text_->setReadOnly(true);
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new DiffHighlighter(text_->document());
    auto* choose = new QPushButton(tr("Repository…"));
    choose->setToolTip(tr("Where the runs' repository is on this machine"));
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("The runs' git repository"));
        if (!dir.isEmpty()) {
            repository_ = dir;
            render();
        }
    });
    auto* bar = new QHBoxLayout;
    bar->addWidget(header_, 1);
    bar->addWidget(choose);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(text_, 1);
    setRuns({});
}

void CodeDiffView::setRuns(const std::vector<RunDetails>& runs)
{
    runs_ = runs;
    render();
}

void CodeDiffView::render()
{
    if (runs_.size() != 2) {
        header_->setText(tr("Select exactly two runs to compare their code."));
        text_->clear();
        return;
    }
    const RunDetails& a = runs_[0];
    const RunDetails& b = runs_[1];
    const CodeComparison c = compareCode(a, b, repository_);
    header_->setText(tr("<b>%1</b> (%2) → <b>%3</b> (%4)%5")
                         .arg(a.name.toHtmlEscaped(), c.commitA.left(10).toHtmlEscaped(), b.name.toHtmlEscaped(),
                              c.commitB.left(10).toHtmlEscaped(),
                              c.message.isEmpty() ? QString() : QStringLiteral("<br>") + c.message.toHtmlEscaped()));
    QString body;
    body += QStringLiteral("### Commits %1 → %2\n").arg(c.commitA.left(12), c.commitB.left(12));
    body += c.commitDiff.isEmpty() ? QStringLiteral("(%1)\n").arg(c.message) : c.commitDiff;
    for (const auto* r : {&a, &b}) {
        body += QStringLiteral("\n### Uncommitted changes of %1\n").arg(r->name);
        body += r->git.diff.isEmpty() ? tr("(none recorded)\n") : r->git.diff;
        if (r->git.diffTruncated)
            body += tr("\n(truncated at log time)\n");
    }
    text_->setPlainText(body);
}

QString CodeDiffView::text() const { return text_->toPlainText(); }

} // namespace runlens::ui
