// SPDX-License-Identifier: GPL-3.0-or-later
// The runlens sub-commands as one table: parsing, `runlens --help`,
// `runlens help COMMAND`, the man page's and the shell completion's tests
// all read it, so a command or option exists in one place.
#pragma once

#include <QStringList>

#include <vector>

class QCommandLineParser;
class QTextStream;

namespace runlens::cli {

enum ExitCode { Ok = 0, Failed = 1, Usage = 2, StoreError = 3, RunNotFound = 4, BadQuery = 5, RunFailed = 6 };

struct CliOption {
    QStringList names;    // long name first ("query", "q")
    QString valueName;    // empty: a flag
    QString description;
    QString defaultValue;
};

// What a handler gets: the parsed options and where to write.
struct CliCall {
    const QCommandLineParser& parser;
    QStringList positionals;
    QString format; // --format, or the command's default
    QTextStream& out;
    QTextStream& err;

    QString value(const QString& option) const;
    bool isSet(const QString& option) const;
    // A comma-separated option as a list (empty entries dropped).
    QStringList list(const QString& option) const;
};

struct CliCommand {
    QString name;
    QString arguments;    // the synopsis after the name, e.g. "STORE RUN [--format text|json]"
    QString summary;      // one line for `runlens --help`
    QString description;  // a paragraph for `runlens help NAME`
    std::vector<CliOption> options;
    int minPositionals = 0;
    int maxPositionals = 0; // -1: any number
    QStringList formats;    // for --format; the first is the default
    // Draws widgets offscreen: main() makes a QApplication before running it.
    bool renders = false;
    ExitCode (*run)(const CliCall&) = nullptr;
};

// Every sub-command, in the order `runlens --help` lists them.
const std::vector<CliCommand>& commands();
const CliCommand* findCommand(const QString& name);

QString usageText();
QString commandHelp(const CliCommand& command);
// "runlens NAME: MESSAGE" and the command's help on `err`; returns Usage.
ExitCode usageError(const QString& command, const QString& message, QTextStream& err);

// The handlers, by where they live: headless_commands.cpp (reading, over
// core/), edit_commands.cpp (the notebook's edits), candidate_commands.cpp
// (promotion rules and candidates), derived_metric_commands.cpp (derive)
// and render_commands.cpp (snapshot and
// report, over ui/).
ExitCode runsCommand(const CliCall& call);
ExitCode showCommand(const CliCall& call);
ExitCode diffCommand(const CliCall& call);
ExitCode metricCommand(const CliCall& call);
ExitCode seedsCommand(const CliCall& call);
ExitCode watchCommand(const CliCall& call); // watch_command.cpp
ExitCode paretoCommand(const CliCall& call);
ExitCode importanceCommand(const CliCall& call);
ExitCode importCommand(const CliCall& call);
ExitCode initTeamCommand(const CliCall& call); // team_commands.cpp
ExitCode pushCommand(const CliCall& call);     // team_commands.cpp
ExitCode tagCommand(const CliCall& call);
ExitCode noteCommand(const CliCall& call);
ExitCode renameCommand(const CliCall& call);
ExitCode starCommand(const CliCall& call);
ExitCode trashCommand(const CliCall& call);
ExitCode restoreCommand(const CliCall& call);
ExitCode emptyTrashCommand(const CliCall& call);
ExitCode annotationsCommand(const CliCall& call);
ExitCode baselineCommand(const CliCall& call);
ExitCode ruleCommand(const CliCall& call);
ExitCode deriveCommand(const CliCall& call);
ExitCode promoteCommand(const CliCall& call);
ExitCode demoteCommand(const CliCall& call);
ExitCode candidatesCommand(const CliCall& call);
ExitCode modelsCommand(const CliCall& call);   // model_commands.cpp
ExitCode artifactsCommand(const CliCall& call);   // artifact_commands.cpp
ExitCode artifactCommand(const CliCall& call);
ExitCode registerCommand(const CliCall& call);
ExitCode aliasCommand(const CliCall& call);
ExitCode reportCommand(const CliCall& call);
ExitCode snapshotCommand(const CliCall& call);

} // namespace runlens::cli
