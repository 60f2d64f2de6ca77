// SPDX-License-Identifier: GPL-3.0-or-later
#include "query_bar.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QStringListModel>
#include <QStyle>
#include <QStyleOptionFrame>

namespace runlens::ui {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'/' || c == u'-' || c == u':';
}

const QStringList kFields = {QStringLiteral("name"),       QStringLiteral("id"),       QStringLiteral("status"),
                             QStringLiteral("experiment"), QStringLiteral("start_time"), QStringLiteral("end_time"),
                             QStringLiteral("duration"),   QStringLiteral("and"),      QStringLiteral("or"),
                             QStringLiteral("not"),        QStringLiteral("in"),       QStringLiteral("order by"),
                             QStringLiteral("desc"),       QStringLiteral("asc"),      QStringLiteral("limit"),
                             QStringLiteral("git.commit"), QStringLiteral("git.branch"), QStringLiteral("git.dirty"),
                             QStringLiteral("notes"),      QStringLiteral("hypothesis"), QStringLiteral("starred"),
                             QStringLiteral("trashed"),    QStringLiteral("parent"),   QStringLiteral("is_parent"),
                             QStringLiteral("seeds"),      QStringLiteral("seed_group")};

} // namespace

QueryBar::QueryBar(QWidget* parent) : QLineEdit(parent)
{
    setPlaceholderText(tr("Filter runs: params.lr < 1e-3 and status = finished order by metrics.val/auc desc"));
    setClearButtonEnabled(true);
    debounce_.setSingleShot(true);
    debounce_.setInterval(250);
    connect(&debounce_, &QTimer::timeout, this, [this] { emit queryEdited(text()); });
    connect(this, &QLineEdit::textEdited, this, [this] {
        historyPos_ = -1;
        debounce_.start();
        updateCompletion();
    });
    connect(this, &QLineEdit::returnPressed, this, [this] {
        debounce_.stop();
        emit queryEdited(text());
        commitToHistory();
    });
    completions_ = new QStringListModel(this);
    completer_ = new QCompleter(completions_, this);
    completer_->setCaseSensitivity(Qt::CaseInsensitive);
    completer_->setFilterMode(Qt::MatchStartsWith);
    completer_->setCompletionMode(QCompleter::PopupCompletion);
    completer_->setWidget(this);
    connect(completer_, qOverload<const QString&>(&QCompleter::activated), this, &QueryBar::insertCompletion);
    setKeys({}, {}, {});
}

void QueryBar::setKeys(const QStringList& params, const QStringList& metrics, const QStringList& tags,
                       const QStringList& data, const QStringList& environment)
{
    auto quoted = [](const QString& prefix, const QString& key) {
        const bool plain = std::all_of(key.begin(), key.end(), [](QChar c) { return isWordChar(c); });
        return prefix + (plain ? key : QLatin1Char('`') + key + QLatin1Char('`'));
    };
    allWords_ = kFields;
    for (const auto& k : params)
        allWords_ << quoted(QStringLiteral("params."), k);
    for (const auto& k : metrics) {
        allWords_ << quoted(QStringLiteral("metrics."), k);
        allWords_ << quoted(QStringLiteral("metrics."), k) + QStringLiteral(".min")
                  << quoted(QStringLiteral("metrics."), k) + QStringLiteral(".max")
                  << quoted(QStringLiteral("metrics."), k) + QStringLiteral(".mean");
    }
    for (const auto& k : tags)
        allWords_ << quoted(QStringLiteral("tags."), k);
    for (const auto& k : data)
        allWords_ << quoted(QStringLiteral("data."), k);
    for (const auto& k : environment)
        allWords_ << quoted(QStringLiteral("env."), k);
    completions_->setStringList(allWords_);
}

std::pair<int, int> QueryBar::wordAtCursor() const
{
    const QString t = text();
    int end = cursorPosition();
    int start = end;
    while (start > 0 && (isWordChar(t[start - 1]) || t[start - 1] == u'`'))
        --start;
    return {start, end};
}

void QueryBar::updateCompletion()
{
    const auto [start, end] = wordAtCursor();
    const QString prefix = text().mid(start, end - start);
    if (prefix.size() < 1) {
        completer_->popup()->hide();
        return;
    }
    completer_->setCompletionPrefix(prefix);
    if (completer_->completionCount() == 0
        || (completer_->completionCount() == 1 && completer_->currentCompletion() == prefix)) {
        completer_->popup()->hide();
        return;
    }
    QRect r = cursorRect();
    r.setWidth(std::max(280, completer_->popup()->sizeHintForColumn(0) + 24));
    completer_->complete(r);
}

void QueryBar::insertCompletion(const QString& completion)
{
    const auto [start, end] = wordAtCursor();
    QString t = text();
    t.replace(start, end - start, completion + QLatin1Char(' '));
    setText(t);
    setCursorPosition(start + int(completion.size()) + 1);
    debounce_.start();
}

void QueryBar::setError(const std::optional<QueryError>& error)
{
    error_ = error;
    setToolTip(error ? error->describe() : QString());
    update();
}

void QueryBar::setHistory(const QStringList& history)
{
    history_ = history;
    historyPos_ = -1;
}

void QueryBar::commitToHistory()
{
    const QString t = text().trimmed();
    if (t.isEmpty())
        return;
    history_.removeAll(t);
    history_.prepend(t);
    while (history_.size() > 50)
        history_.removeLast();
    historyPos_ = -1;
}

void QueryBar::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu* menu = createStandardContextMenu();
    menu->addSeparator();
    QAction* save = menu->addAction(tr("Save Query…"), this, &QueryBar::saveQueryRequested);
    save->setEnabled(!text().trimmed().isEmpty());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

void QueryBar::keyPressEvent(QKeyEvent* event)
{
    if (completer_->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Tab:
            event->ignore();
            return;   // the completer takes these
        default: break;
        }
    }
    if ((event->key() == Qt::Key_Up || event->key() == Qt::Key_Down) && !history_.isEmpty()) {
        historyPos_ += event->key() == Qt::Key_Up ? 1 : -1;
        historyPos_ = std::clamp(historyPos_, -1, int(history_.size()) - 1);
        setText(historyPos_ < 0 ? QString() : history_[historyPos_]);
        debounce_.start();
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void QueryBar::paintEvent(QPaintEvent* event)
{
    QLineEdit::paintEvent(event);
    if (!error_)
        return;
    // The text's left edge, as QLineEdit lays it out.
    QStyleOptionFrame opt;
    initStyleOption(&opt);
    const QRect contents = style()->subElementRect(QStyle::SE_LineEditContents, &opt, this);
    const QMargins tm = textMargins();
    const QFontMetrics fm(font());
    const QString t = text();
    // QLineEdit scrolls long text; the cursor rectangle tells by how much.
    const int cursorX = cursorRect().center().x();
    const int cursorTextX = fm.horizontalAdvance(t.left(cursorPosition()));
    const int origin = t.isEmpty() ? contents.left() + tm.left() + 2 : cursorX - cursorTextX;
    const int pos = std::clamp(error_->position, 0, int(t.size()));
    const int len = std::max(1, std::min(error_->length, int(t.size()) - pos));
    int x0 = origin + fm.horizontalAdvance(t.left(pos));
    int x1 = pos >= t.size() ? x0 + fm.horizontalAdvance(QLatin1Char('m')) : origin + fm.horizontalAdvance(t.left(pos + len));
    const int y = contents.center().y() + fm.height() / 2;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QPen pen(QColor(0xe5, 0x39, 0x35), 1.4);
    p.setPen(pen);
    QPainterPath wave;
    wave.moveTo(x0, y);
    for (int x = x0; x < x1; x += 2)
        wave.lineTo(x + 2, y + ((x - x0) / 2 % 2 ? -1.5 : 1.5));
    p.drawPath(wave);
}

} // namespace runlens::ui
