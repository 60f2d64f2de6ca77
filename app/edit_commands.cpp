// SPDX-License-Identifier: GPL-3.0-or-later
// The lab notebook from the command line, for scripts and CI: tag, note,
// rename, star, trash, restore, demote, empty-trash and annotations export|import.
// Each edit goes through the same writer as the app's (the store itself, or
// the overlay beside another tool's store) and is recorded in the history.
#include "cli_command.h"
#include "opened_store.h"

#include "annotated_store_reader.h"
#include "annotation_overlay.h"
#include "promotion.h"
#include "run_edit.h"
#include "run_edit_writer.h"
#include "store_entries.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSaveFile>

#include <cstdio>

namespace runlens::cli {

namespace {

// The rows of RUN arguments; false after saying which one is not there.
bool findRows(const RunTable& table, const QStringList& runs, std::vector<int>& rows, QTextStream& err)
{
    const auto found = table.findRuns(runs);
    if (!found) {
        err << "runlens: " << found.error() << '\n';
        return false;
    }
    rows = *found;
    return true;
}

// Writes `edit` and says what changed; an edit that changes nothing is fine.
ExitCode apply(Opened& s, const RunEdit& edit, QTextStream& out, QTextStream& err)
{
    if (const QString why = edit.problem(); !why.isEmpty()) {
        err << "runlens: " << why << '\n';
        return Usage;
    }
    const RunEdit effective = edit.withoutNoOps();
    if (const auto written = writeRunEdit(*s.reader, effective); !written) {
        err << "runlens: " << written.error() << '\n';
        return Failed;
    }
    // Which runs, by name: an id prefix or a name given on the command line
    // may have matched a run the user did not mean.
    QStringList names;
    for (const auto& change : effective.changes()) {
        const int row = s.runs.table->findRun(change.runId);
        names << (row >= 0 ? s.runs.table->name(row) : change.runId);
    }
    constexpr qsizetype kNamed = 5;
    const QString which = names.isEmpty()        ? QString()
                          : names.size() <= kNamed ? QStringLiteral(" (%1)").arg(names.join(QStringLiteral(", ")))
                                                  : QStringLiteral(" (%1 and %2 more)").arg(names.mid(0, kNamed).join(QStringLiteral(", "))).arg(names.size() - kNamed);
    out << (effective.empty() ? QStringLiteral("nothing to change") : effective.describe() + which)
        << (keepsEditsInStore(*s.reader) ? QString() : QStringLiteral(" (in Runlens's annotations; the store is not written)"))
        << '\n';
    return Ok;
}

// The store (the first argument) and the rows of `runs`; nothing, with
// `code` set, after saying why not.
std::optional<Opened> openWithRows(const CliCall& call, const QStringList& runs, std::vector<int>& rows, ExitCode& code)
{
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (s && !findRows(*s->runs.table, runs, rows, call.err)) {
        code = RunNotFound;
        return std::nullopt;
    }
    return s;
}

template <class Edit>
ExitCode withRows(const CliCall& call, const QStringList& runs, Edit&& edit)
{
    ExitCode code = Ok;
    std::vector<int> rows;
    auto s = openWithRows(call, runs, rows, code);
    return s ? apply(*s, edit(*s, rows), call.out, call.err) : code;
}

QString readText(const QString& arg, QTextStream& err, bool& ok)
{
    ok = true;
    if (arg != QLatin1String("-"))
        return arg;
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        err << "runlens: cannot read the text from standard input\n";
        ok = false;
        return {};
    }
    return QString::fromUtf8(in.readAll());
}

} // namespace

ExitCode tagCommand(const CliCall& call)
{
    QStringList runs;
    std::vector<std::pair<QString, QString>> assignments;
    for (const QString& arg : call.positionals.mid(1)) {
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        if (eq < 0)
            runs << arg;
        else
            assignments.emplace_back(arg.left(eq), arg.mid(eq + 1));
    }
    const QStringList removals = call.parser.values(QStringLiteral("delete"));
    if (runs.isEmpty() || (assignments.empty() && removals.isEmpty()))
        return usageError(QStringLiteral("tag"), QStringLiteral("expected runs and key=value or -d key"), call.err);
    ExitCode code = Ok;
    std::vector<int> rows;
    auto s = openWithRows(call, runs, rows, code);
    if (!s)
        return code;
    for (const auto& [key, value] : assignments)
        if (const ExitCode c = apply(*s, RunEdit::forRows(*s->runs.table, rows, RunField::Tag, key, value), call.out, call.err); c != Ok)
            return c;
    for (const QString& key : removals)
        if (const ExitCode c = apply(*s, RunEdit::forRows(*s->runs.table, rows, RunField::Tag, key, std::nullopt), call.out, call.err); c != Ok)
            return c;
    return Ok;
}

ExitCode noteCommand(const CliCall& call)
{
    bool ok = false;
    const QString text = readText(call.positionals[2], call.err, ok);
    if (!ok)
        return Failed;
    const RunField field = call.isSet(QStringLiteral("hypothesis")) ? RunField::Hypothesis : RunField::Notes;
    return withRows(call, {call.positionals[1]}, [&](Opened& s, const std::vector<int>& rows) {
        return RunEdit::forRows(*s.runs.table, rows, field, {}, text, [&](int row) {
            const auto d = s.reader->loadDetails(s.runs.table->id(row));
            return !d ? QString() : field == RunField::Notes ? d->notes : d->hypothesis;
        });
    });
}

ExitCode renameCommand(const CliCall& call)
{
    return withRows(call, {call.positionals[1]}, [&](Opened& s, const std::vector<int>& rows) {
        return RunEdit::forRows(*s.runs.table, rows, RunField::Name, {}, call.positionals[2]);
    });
}

ExitCode starCommand(const CliCall& call)
{
    const bool off = call.isSet(QStringLiteral("off"));
    return withRows(call, call.positionals.mid(1), [&](Opened& s, const std::vector<int>& rows) {
        return RunEdit::forRows(*s.runs.table, rows, RunField::Tag, kStarredTag,
                                off ? std::nullopt : std::optional<QString>(QStringLiteral("true")));
    });
}

ExitCode trashCommand(const CliCall& call)
{
    return withRows(call, call.positionals.mid(1), [&](Opened& s, const std::vector<int>& rows) {
        return RunEdit::forRows(*s.runs.table, rows, RunField::Tag, kTrashedTag, trashedNow());
    });
}

ExitCode restoreCommand(const CliCall& call)
{
    return withRows(call, call.positionals.mid(1), [&](Opened& s, const std::vector<int>& rows) {
        return RunEdit::forRows(*s.runs.table, rows, RunField::Tag, kTrashedTag, std::nullopt);
    });
}

// The candidate mark off: an edit like any other (promote, which judges runs
// against their rule first, is in candidate_commands.cpp).
ExitCode demoteCommand(const CliCall& call)
{
    return withRows(call, call.positionals.mid(1), [&](Opened& s, const std::vector<int>& rows) {
        return demotionEdit(*s.runs.table, rows);
    });
}

ExitCode emptyTrashCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], QString() /* empty-trash takes no --kind: our stores only */, false, call.err, code);
    if (!s)
        return code;
    QStringList trashed;
    for (int r = 0; r < s->runs.table->rowCount(); ++r)
        if (s->runs.table->isTrashed(r))
            trashed << s->runs.table->name(r);
    if (!call.isSet(QStringLiteral("yes"))) {
        // Which runs, so that the --yes that follows is an informed one.
        constexpr qsizetype kNamed = 10;
        call.err << "runlens: " << trashed.size() << " run(s) in the trash would be deleted for good, with everything they "
                 << "logged" << (trashed.isEmpty() ? QString() : QStringLiteral(": ") + trashed.mid(0, kNamed).join(QStringLiteral(", ")))
                 << (trashed.size() > kNamed ? QStringLiteral(" and %1 more").arg(trashed.size() - kNamed) : QString())
                 << "; run again with --yes to delete them\n";
        return Usage;
    }
    const auto deleted = emptyTrash(*s->reader, call.isSet(QStringLiteral("vacuum")));
    if (!deleted) {
        call.err << "runlens: " << deleted.error() << '\n';
        return Failed;
    }
    call.out << "deleted " << *deleted << " run(s) for good\n";
    return Ok;
}

ExitCode annotationsCommand(const CliCall& call)
{
    const QString action = call.positionals[0];
    if (action != QLatin1String("export") && action != QLatin1String("import"))
        return usageError(QStringLiteral("annotations"), QStringLiteral("expected export or import, not '%1'").arg(action), call.err);
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[1], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return code;
    if (action == QLatin1String("export")) {
        const auto* annotated = dynamic_cast<const AnnotatedStoreReader*>(s->reader.get());
        if (!annotated) {
            call.err << "runlens: a Runlens store keeps its annotations itself; send the store\n";
            return Usage;
        }
        const auto json = annotated->overlay().exportJson();
        if (!json) {
            call.err << "runlens: " << json.error() << '\n';
            return Failed;
        }
        const QString path = call.value(QStringLiteral("output"));
        if (path.isEmpty() || path == QLatin1String("-")) {
            call.out << QString::fromUtf8(*json);
            return Ok;
        }
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(*json) != json->size() || !file.commit()) {
            call.err << "runlens: cannot write '" << path << "': " << file.errorString() << '\n';
            return Failed;
        }
        return Ok;
    }
    if (call.positionals.size() < 3)
        return usageError(QStringLiteral("annotations"), QStringLiteral("import needs the file to import"), call.err);
    QFile file(call.positionals[2]);
    if (!file.open(QIODevice::ReadOnly)) {
        call.err << "runlens: cannot read '" << call.positionals[2] << "': " << file.errorString() << '\n';
        return Failed;
    }
    const auto imported = AnnotationOverlay::parseExport(file.read(64 << 20));
    if (!imported) {
        call.err << "runlens: " << imported.error() << '\n';
        return Failed;
    }
    const RunTable& table = *s->runs.table;
    int applied = 0, missing = 0;
    for (const RunEdit& e : imported->edits) {
        // Keep only the runs this store holds; say how many it does not.
        std::vector<RunChange> here;
        for (const auto& c : e.changes()) {
            if (table.rowOfId(c.runId) < 0) {
                ++missing;
                continue;
            }
            here.push_back(c);
        }
        const RunEdit edit(e.field(), e.key(), std::move(here));
        if (edit.empty())
            continue;
        if (const auto written = writeRunEdit(*s->reader, edit); !written) {
            call.err << "runlens: " << written.error() << '\n';
            return Failed;
        }
        applied += int(edit.changes().size());
    }
    // Saved queries and promotion rules: kept as the store keeps them.
    int entries = 0;
    for (const auto& [key, value] : imported->entries) {
        const auto kept = writeStoreEntryKey(*s->reader, key, value);
        if (!kept) {
            call.err << "runlens: " << kept.error() << '\n';
            return Failed;
        }
        entries += *kept ? 1 : 0;
    }
    call.out << "imported " << applied << " annotation(s)";
    if (entries > 0)
        call.out << " and " << entries << " saved quer" << (entries == 1 ? "y or rule" : "ies and rules");
    if (missing > 0)
        call.out << "; " << missing << " for runs this store does not hold were left out";
    call.out << '\n';
    return Ok;
}

} // namespace runlens::cli
