// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_edit.h"

#include <QDateTime>
#include <QProcessEnvironment>

#include <algorithm>

#include <pwd.h>
#include <unistd.h>

namespace runlens {

namespace {

constexpr qsizetype kMaxText = 1 << 20;   // a note of a megabyte is a paste gone wrong

QString plural(size_t n, const char* one, const char* many)
{
    return n == 1 ? QString::fromLatin1(one) : QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(many));
}

} // namespace

QString runFieldName(RunField field)
{
    switch (field) {
    case RunField::Name: return QStringLiteral("name");
    case RunField::Notes: return QStringLiteral("notes");
    case RunField::Hypothesis: return QStringLiteral("hypothesis");
    case RunField::Tag: return QStringLiteral("tag");
    }
    return {};
}

std::optional<RunField> runFieldFromName(const QString& name)
{
    for (RunField f : {RunField::Name, RunField::Notes, RunField::Hypothesis, RunField::Tag})
        if (runFieldName(f) == name)
            return f;
    return std::nullopt;
}

RunEdit::RunEdit(RunField field, QString key, std::vector<RunChange> changes)
    : field_(field), key_(field == RunField::Tag ? std::move(key) : QString()), changes_(std::move(changes))
{
}

RunEdit RunEdit::forRows(const RunTable& table, std::span<const int> rows, RunField field, const QString& key,
                         const std::optional<QString>& after, const std::function<QString(int row)>& textBefore)
{
    std::vector<RunChange> changes;
    changes.reserve(rows.size());
    const ValueColumn* tag = field == RunField::Tag ? table.tag(key) : nullptr;
    for (int row : rows) {
        RunChange c{table.id(row), std::nullopt, after};
        switch (field) {
        case RunField::Name: c.before = table.name(row); break;
        case RunField::Tag:
            if (tag && tag->has(row))
                c.before = tag->text[size_t(row)];
            break;
        case RunField::Notes:
        case RunField::Hypothesis: {
            const QString before = textBefore ? textBefore(row)
                : field == RunField::Notes    ? table.notes(row)
                                              : table.hypothesis(row);
            if (!before.isEmpty() || textBefore)
                c.before = before;
            break;
        }
        }
        changes.push_back(std::move(c));
    }
    return RunEdit(field, key, std::move(changes));
}

RunEdit RunEdit::inverse() const
{
    RunEdit out = *this;
    for (auto& c : out.changes_)
        std::swap(c.before, c.after);
    return out;
}

RunEdit RunEdit::withoutNoOps() const
{
    RunEdit out = *this;
    const bool text = field_ != RunField::Tag;
    auto same = [text](const RunChange& c) {
        // For text fields an empty value and no value are the same.
        if (text)
            return c.before.value_or(QString()) == c.after.value_or(QString());
        return c.before == c.after;
    };
    out.changes_.erase(std::remove_if(out.changes_.begin(), out.changes_.end(), same), out.changes_.end());
    return out;
}

QString RunEdit::describe() const
{
    const size_t n = changes_.size();
    const QString runs = plural(n, "run", "runs");
    const std::optional<QString> after = changes_.empty() ? std::nullopt : changes_.front().after;
    switch (field_) {
    case RunField::Name: return n == 1 && after ? QStringLiteral("Rename run to %1").arg(*after) : QStringLiteral("Rename %1").arg(runs);
    case RunField::Notes: return QStringLiteral("Edit notes of %1").arg(runs);
    case RunField::Hypothesis: return QStringLiteral("Edit hypothesis of %1").arg(runs);
    case RunField::Tag:
        if (key_ == kStarredTag)
            return (after ? QStringLiteral("Star %1") : QStringLiteral("Unstar %1")).arg(runs);
        if (key_ == kTrashedTag)
            return (after ? QStringLiteral("Move %1 to the trash") : QStringLiteral("Restore %1")).arg(runs);
        if (key_ == kCandidateTag)
            return (after ? QStringLiteral("Promote %1 to candidate") : QStringLiteral("Demote %1")).arg(runs);
        return after ? QStringLiteral("Tag %1 %2=%3").arg(runs, key_, *after) : QStringLiteral("Remove tag %1 from %2").arg(key_, runs);
    }
    return {};
}

QString RunEdit::problem() const
{
    if (field_ == RunField::Tag) {
        if (key_.trimmed().isEmpty())
            return QStringLiteral("a tag needs a key");
        if (std::any_of(key_.begin(), key_.end(), [](QChar c) { return c.category() == QChar::Other_Control; }))
            return QStringLiteral("a tag key cannot hold control characters");
        if (key_.size() > 250)
            return QStringLiteral("a tag key is at most 250 characters");
    }
    for (const auto& c : changes_) {
        if (c.runId.isEmpty())
            return QStringLiteral("an edit needs the run's id");
        if (field_ == RunField::Name && (!c.after || c.after->trimmed().isEmpty()))
            return QStringLiteral("a run's name cannot be empty");
        if (c.after && c.after->size() > kMaxText)
            return QStringLiteral("%1 is %2 KiB; at most 1,024 KiB is kept")
                .arg(field_ == RunField::Tag ? QStringLiteral("the tag's value") : QStringLiteral("the text"))
                .arg(c.after->size() / 1024);
        if (c.after && c.after->contains(QChar(0)))
            return QStringLiteral("the text holds a NUL character");
    }
    return {};
}

void RunEdit::applyTo(RunTable& table) const
{
    const int column = field_ == RunField::Tag ? table.tagColumn(key_) : -1;
    for (const auto& c : changes_) {
        const int row = table.rowOfId(c.runId);
        if (row < 0)
            continue;   // another store's run
        switch (field_) {
        case RunField::Name: table.setName(row, c.after.value_or(table.name(row))); break;
        case RunField::Tag:
            if (c.after)
                table.setTagAt(column, row, *c.after);
            else
                table.clearTagAt(column, row);
            break;
        case RunField::Notes: table.setNotes(row, c.after.value_or(QString())); break;
        case RunField::Hypothesis: table.setHypothesis(row, c.after.value_or(QString())); break;
        }
    }
}

void RunEdit::applyTo(RunDetails& details) const
{
    for (const auto& c : changes_) {
        if (c.runId != details.id)
            continue;
        switch (field_) {
        case RunField::Name: details.name = c.after.value_or(details.name); break;
        case RunField::Notes: details.notes = c.after.value_or(QString()); break;
        case RunField::Hypothesis: details.hypothesis = c.after.value_or(QString()); break;
        case RunField::Tag: {
            auto& tags = details.tags;
            auto it = std::lower_bound(tags.begin(), tags.end(), key_, [](const auto& kv, const QString& k) { return kv.first < k; });
            const bool found = it != tags.end() && it->first == key_;
            if (c.after && found)
                it->second = *c.after;
            else if (c.after)
                tags.insert(it, {key_, *c.after});
            else if (found)
                tags.erase(it);
            break;
        }
        }
    }
}

QString currentUserName()
{
    const auto env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"USER", "LOGNAME", "USERNAME"}) {
        const QString v = env.value(QString::fromLatin1(name));
        if (!v.isEmpty())
            return v;
    }
    // Services and CI often run without those variables: the account's name.
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("unknown");
}

QString trashedNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

} // namespace runlens
