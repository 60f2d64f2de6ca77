// SPDX-License-Identifier: GPL-3.0-or-later
#include "command_line.h"

#include "seed_statistics.h"
#include "snapshot.h"
#include "store_registry.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <algorithm>

namespace runlens::cli {

namespace {

CliOption formatOption(const QStringList& formats)
{
    return {{QStringLiteral("format")}, formats.join(QLatin1Char('|')),
        QStringLiteral("Output format (default: %1).").arg(formats.first()), {}};
}

CliOption kindOption()
{
    return {{QStringLiteral("kind")}, QStringLiteral("KIND"),
        QStringLiteral("Read STORE as this kind instead of detecting it: %1.").arg(storeKinds().join(QStringLiteral(", "))),
        {}};
}

CliOption deletedOption()
{
    return {{QStringLiteral("deleted")}, {},
        QStringLiteral("Include runs the other tool deleted but kept (MLflow), and runs in Runlens's trash."), {}};
}

CliOption queryOption()
{
    return {{QStringLiteral("query"), QStringLiteral("q")}, QStringLiteral("Q"),
        QStringLiteral("Only the runs this query selects, e.g. \"params.lr < 1e-3 and status = finished\"."), {}};
}

CliOption xAxisOption()
{
    return {{QStringLiteral("x")}, QStringLiteral("AXIS"),
        QStringLiteral("Curves by step, elapsed (time since start), time (wall time), or another metric of each "
                       "run, e.g. epoch."),
        QStringLiteral("step")};
}

CliOption toolTagsOption()
{
    return {{QStringLiteral("tool-tags")}, {},
        QStringLiteral("Include other tools' internal tags (mlflow.user, mlflow.source.*, ...), hidden by default."),
        {}};
}

CliOption outputOption(const QString& what)
{
    return {{QStringLiteral("output"), QStringLiteral("o")}, QStringLiteral("FILE"), what, {}};
}

std::vector<CliCommand> makeCommands()
{
    const QStringList runsFormats = {QStringLiteral("table"), QStringLiteral("json"), QStringLiteral("csv")};
    const QStringList textJson = {QStringLiteral("text"), QStringLiteral("json")};
    const QStringList diffFormats
        = {QStringLiteral("text"), QStringLiteral("json"), QStringLiteral("markdown"), QStringLiteral("latex")};
    const QStringList metricFormats = {QStringLiteral("csv"), QStringLiteral("json")};
    std::vector<CliCommand> c;
    c.push_back({QStringLiteral("runs"),
        QStringLiteral("STORE [--query Q | --saved NAME] [--format table|json|csv] [--columns C,...] [--kind K] "
                       "[--deleted]"),
        QStringLiteral("list the runs of a store, or those a query selects"),
        QStringLiteral("Lists the runs of STORE: id, name, experiment, status, start, duration, every param that "
                       "varies and every metric's last value; nested runs indented under their parent (one the query "
                       "does not match in parentheses). json and csv carry every column. Query fields: "
                       "params.X, metrics.X (.min .max .mean .count .last_step), tags.X, data.X (data versions), env.X "
                       "(env.host, env.python, env.package.NAME), git.commit, git.branch, git.dirty, notes, "
                       "hypothesis, starred, trashed, parent, is_parent, seeds, seed_group, name, id, status, "
                       "experiment, start_time, end_time, duration; e.g. \"data.train = 'v3' order by "
                       "metrics.val_auc desc limit 1\"."),
        {queryOption(), formatOption(runsFormats),
            {{QStringLiteral("saved")}, QStringLiteral("NAME"),
                QStringLiteral("Only the runs the query saved with the store under NAME selects (Save Query… in "
                               "the app)."),
                {}},
            {{QStringLiteral("columns")}, QStringLiteral("C,..."),
                QStringLiteral("The table's params and metrics, in this order (params.lr, metrics.val/auc, or bare "
                               "names)."),
                {}},
            kindOption(), deletedOption()},
        1, 1, runsFormats, false, &runsCommand});
    c.push_back({QStringLiteral("show"), QStringLiteral("STORE RUN [--format text|json] [--tool-tags]"),
        QStringLiteral("everything recorded about a run"),
        QStringLiteral("Shows a run's params, metric summaries, tags, notes and hypothesis, git state, data "
                       "versions, environment, artifacts and configs. json carries every tag, exact numbers."),
        {formatOption(textJson), toolTagsOption(), kindOption(), deletedOption()}, 2, 2, textJson, false, &showCommand});
    c.push_back({QStringLiteral("diff"),
        QStringLiteral("STORE RUN_A RUN_B [--format text|json|markdown|latex] [--tool-tags]"),
        QStringLiteral("params, tags, metrics, data, git and environment that differ"),
        QStringLiteral("Compares two runs. markdown and latex give a table of what differs with B's deltas "
                       "against A, to paste into notes or a paper."),
        {formatOption(diffFormats), toolTagsOption(), kindOption(), deletedOption()}, 3, 3, diffFormats, false,
            &diffCommand});
    c.push_back({QStringLiteral("metric"), QStringLiteral("STORE RUN KEY [--format csv|json]"),
        QStringLiteral("every point of a metric: step, timestamp, value"),
        QStringLiteral("Prints every recorded point of one metric of a run."),
        {formatOption(metricFormats), kindOption(), deletedOption()}, 3, 3, metricFormats, false, &metricCommand});
    c.push_back({QStringLiteral("seeds"),
        QStringLiteral("STORE --metric M [--query Q] [--seed-keys k1,*_seed] [--format text|json]"),
        QStringLiteral("runs that differ only by seed: n, mean, sd; Welch's t-test"),
        QStringLiteral("Groups runs that differ only by their seed params and compares each group's metric M "
                       "with the best group's (Welch's t-test, two-sided)."),
        {{{QStringLiteral("metric")}, QStringLiteral("M"), QStringLiteral("The metric to compare (its last value)."), {}},
            queryOption(),
            {{QStringLiteral("seed-keys")}, QStringLiteral("KEYS"),
                QStringLiteral("Params that are seeds, comma-separated; * matches any text (default: %1).")
                    .arg(defaultSeedKeys().join(QStringLiteral(", "))),
                {}},
            formatOption(textJson), kindOption(), deletedOption()},
        1, 1, textJson, false, &seedsCommand});
    c.push_back({QStringLiteral("watch"),
        QStringLiteral("STORE [--query Q] [--metric M,...] [--interval S] [--exit-on-failure] [--until-done] "
                       "[--format text|json]"),
        QStringLiteral("a line for each run that fails, crashes or logs NaN/Inf, as it happens"),
        QStringLiteral("Watches a store another process is writing, as the window's notifications do: prints one "
                       "line when a watched run fails, crashes (its heartbeat stopped) or logs NaN or infinity as "
                       "the latest value of a watched metric; each event once. Runs that had failed before it "
                       "started are not news; runs started later are watched too. json prints one JSON object per "
                       "line. With --exit-on-failure it exits 6 on the first event (a failure, a crash or NaN/Inf)."),
        {queryOption(),
            {{QStringLiteral("metric")}, QStringLiteral("M,..."),
                QStringLiteral("Metrics watched for NaN/Inf (default: every metric but the system/ ones)."), {}},
            {{QStringLiteral("interval")}, QStringLiteral("S"), QStringLiteral("Seconds between reads of the store."),
                QStringLiteral("5")},
            {{QStringLiteral("exit-on-failure")}, {}, QStringLiteral("Exit with code 6 at the first event."), {}},
            {{QStringLiteral("until-done")}, {},
                QStringLiteral("Exit once the watched runs seen running (or started since) have all ended "
                               "(it waits for one to start): code 0, or 6 when there was an event."),
                {}},
            formatOption(textJson), kindOption()},
        1, 1, textJson, false, &watchCommand});
    c.push_back({QStringLiteral("pareto"), QStringLiteral("STORE --x KEY:min|max --y KEY:min|max [--query Q] [--format table|json]"),
        QStringLiteral("the runs no other run beats on two measures"),
        QStringLiteral("Prints the Pareto front: the runs that no other run matches on both measures while beating "
                       "it on one (accuracy against GPU hours, loss against parameter count). KEY is a metric (its "
                       "last value) or params.NAME; min or max says which way is better."),
        {{{QStringLiteral("x")}, QStringLiteral("KEY:min|max"), QStringLiteral("The first measure and its better way."), {}},
            {{QStringLiteral("y")}, QStringLiteral("KEY:min|max"), QStringLiteral("The second measure and its better way."), {}},
            queryOption(), formatOption({QStringLiteral("table"), QStringLiteral("json")}), kindOption(), deletedOption()},
        1, 1, {QStringLiteral("table"), QStringLiteral("json")}, false, &paretoCommand});
    c.push_back({QStringLiteral("importance"),
        QStringLiteral("STORE --metric M [--query Q] [--seed-keys k1,*_seed] [--format table|json]"),
        QStringLiteral("which params matter for a metric: correlation and importance"),
        QStringLiteral("Ranks the params of the runs by how much of metric M they explain. Per param: Spearman's "
                       "rho (numeric) or Kruskal-Wallis epsilon-squared (categorical), and the importance: the share "
                       "of the variance of M's ranks that the param's own effect explains in an additive model of "
                       "every param (numeric params in quantile bins), less its share by chance. Seeds, params with one value and labels (a different value in "
                       "every run) do not count; runs without a finite M are left out. Below 20 runs it warns."),
        {{{QStringLiteral("metric")}, QStringLiteral("M"),
             QStringLiteral("The metric to explain (its last value; M.min or M.max for those)."), {}},
            queryOption(),
            {{QStringLiteral("seed-keys")}, QStringLiteral("KEYS"),
                QStringLiteral("Params that are seeds, comma-separated; * matches any text (default: %1).")
                    .arg(defaultSeedKeys().join(QStringLiteral(", "))),
                {}},
            formatOption({QStringLiteral("table"), QStringLiteral("json")}), kindOption(), deletedOption()},
        1, 1, {QStringLiteral("table"), QStringLiteral("json")}, false, &importanceCommand});
    c.push_back({QStringLiteral("import"), QStringLiteral("SRC DEST [--kind K] [--deleted]"),
        QStringLiteral("copy another store's runs into a Runlens store (again: only new ones)"),
        QStringLiteral("Copies the runs of SRC (any kind Runlens reads) into the Runlens store DEST, with where "
                       "they came from. Run again, it copies only the runs DEST does not have yet."),
        {kindOption(), deletedOption()}, 2, 2, {}, false, &importCommand});
    c.push_back({QStringLiteral("init-team"), QStringLiteral("URL"),
        QStringLiteral("make a team store in an empty PostgreSQL database"),
        QStringLiteral("Creates the team store's tables in the database URL names (postgresql://user@host/database), "
                       "and the roles runlens_reader (browse) and runlens_writer (push) when allowed to; refuses a "
                       "database that holds anything else. Run again, it changes nothing, or brings an older team "
                       "store up to date. docs/team-store.md says how a team sets one up."),
        {}, 1, 1, {}, false, &initTeamCommand});
    c.push_back({QStringLiteral("push"), QStringLiteral("STORE [URL] [--watch] [--interval S] [--run ID,...] [--logger-pid PID]"),
        QStringLiteral("send a store's runs to a team store (only what is new)"),
        QStringLiteral("Sends the runs of the Runlens store STORE to the team store URL ($RUNLENS_SYNC when not "
                       "given): new runs, and of runs sent before only the points logged since. Each run goes whole or "
                       "not at all, so a push stopped at any moment is finished by the next. A run whose team copy "
                       "changed later (pushed from another copy of the store) is kept there and named. With --watch it "
                       "goes on pushing every S seconds while training logs, and outlasts the server going away; with "
                       "--run too, it stops once those runs have ended and all of them is pushed (what the logger's "
                       "sync= runs beside training)."),
        {{{QStringLiteral("watch")}, {}, QStringLiteral("Keep pushing until stopped."), {}},
            {{QStringLiteral("interval")}, QStringLiteral("S"), QStringLiteral("Seconds between pushes with --watch."),
                QStringLiteral("5")},
            {{QStringLiteral("run")}, QStringLiteral("ID,..."),
                QStringLiteral("Only these runs (ids); with --watch, stop once they have ended and are pushed."), {}},
            {{QStringLiteral("logger-pid")}, QStringLiteral("PID"),
                QStringLiteral("The training process that started this push (the logger's sync= does): while it lives, "
                               "its runs marked running are awaited even if their heartbeat stalls."),
                {}}},
        1, 2, {}, false, &pushCommand});
    const CliOption kindOnly = kindOption();
    c.push_back({QStringLiteral("tag"), QStringLiteral("STORE RUN... key=value... [-d key]..."),
        QStringLiteral("set or remove tags of runs"),
        QStringLiteral("Sets each key=value on every RUN (ids, id prefixes or names) and removes each -d key. Our stores "
                       "keep the edit with its history; other tools' stores are never written: the edit goes into "
                       "Runlens's annotations for that store."),
        {{{QStringLiteral("delete"), QStringLiteral("d")}, QStringLiteral("KEY"), QStringLiteral("Remove this tag (repeatable)."), {}},
            kindOnly},
        2, -1, {}, false, &tagCommand});
    c.push_back({QStringLiteral("note"), QStringLiteral("STORE RUN (TEXT | -) [--hypothesis]"),
        QStringLiteral("write a run's notes or hypothesis"),
        QStringLiteral("Replaces the run's notes (Markdown) with TEXT, or with standard input for -. With --hypothesis, "
                       "its hypothesis instead."),
        {{{QStringLiteral("hypothesis")}, {}, QStringLiteral("Write the hypothesis, not the notes."), {}}, kindOnly},
        3, 3, {}, false, &noteCommand});
    c.push_back({QStringLiteral("rename"), QStringLiteral("STORE RUN NAME"), QStringLiteral("rename a run"),
        QStringLiteral("Gives RUN the name NAME."), {kindOnly}, 3, 3, {}, false, &renameCommand});
    c.push_back({QStringLiteral("star"), QStringLiteral("STORE RUN... [--off]"), QStringLiteral("star runs (or unstar)"),
        QStringLiteral("Marks the runs with a star (the tag runlens.starred); --off takes it away."),
        {{{QStringLiteral("off")}, {}, QStringLiteral("Remove the star."), {}}, kindOnly}, 2, -1, {}, false, &starCommand});
    c.push_back({QStringLiteral("trash"), QStringLiteral("STORE RUN..."), QStringLiteral("move runs to the trash"),
        QStringLiteral("Hides the runs from views and queries (the tag runlens.trashed); `restore` brings them back, "
                       "`empty-trash` deletes them for good."),
        {kindOnly}, 2, -1, {}, false, &trashCommand});
    c.push_back({QStringLiteral("restore"), QStringLiteral("STORE RUN..."), QStringLiteral("take runs out of the trash"),
        QStringLiteral("Takes the runs out of the trash."), {kindOnly}, 2, -1, {}, false, &restoreCommand});
    c.push_back({QStringLiteral("empty-trash"), QStringLiteral("STORE --yes [--vacuum]"),
        QStringLiteral("delete the runs in the trash for good"),
        QStringLiteral("Deletes the trashed runs of a Runlens store with everything they logged, series included. "
                       "Asks for --yes; --vacuum then gives the space back to the file system."),
        {{{QStringLiteral("yes")}, {}, QStringLiteral("Really delete."), {}},
            {{QStringLiteral("vacuum")}, {}, QStringLiteral("Shrink the file afterwards (VACUUM)."), {}}},
        1, 1, {}, false, &emptyTrashCommand});
    c.push_back({QStringLiteral("baseline"), QStringLiteral("STORE RUN [--clear]"),
        QStringLiteral("mark the run its experiment is compared with"),
        QStringLiteral("Makes RUN the baseline of its experiment: the table's Δ columns, the promotion rules' baseline.X "
                       "and welch_p compare with it. --clear removes the experiment's baseline."),
        {{{QStringLiteral("clear")}, {}, QStringLiteral("Remove the baseline of RUN's experiment."), {}}, kindOnly},
        2, 2, {}, false, &baselineCommand});
    c.push_back({QStringLiteral("rule"), QStringLiteral("STORE EXPERIMENT [RULE | --clear]"),
        QStringLiteral("show or set an experiment's promotion rule"),
        QStringLiteral("A promotion rule is a query a run must meet to become a candidate; it reaches the run's baseline "
                       "(baseline.METRIC, baseline.params.X), its seed group (seeds, seed_mean.M, seed_sd.M) and "
                       "Welch's test against the baseline's group (welch_p), and computes with + - * /: "
                       "\"metrics.val_auc >= baseline.val_auc + 0.005 and seeds >= 3 and welch_p < 0.05\". Without RULE, "
                       "prints the rule; --clear removes it. Kept in our store, or beside another tool's."),
        {{{QStringLiteral("clear")}, {}, QStringLiteral("Remove the experiment's rule."), {}}, kindOnly},
        2, 3, {}, false, &ruleCommand});
    c.push_back({QStringLiteral("derive"), QStringLiteral("STORE [NAME [EXPRESSION | --clear]]"),
        QStringLiteral("list, show or keep derived metrics: metrics computed from a run's metrics and params"),
        QStringLiteral("A derived metric is an expression over a run's fields with + - * / and parentheses, kept with "
                       "the store under NAME: \"gap\" \"metrics.train_loss - metrics.val_loss\", \"err\" \"1 - "
                       "metrics.val_acc\". Every command and the app then have metrics.NAME as a column, a query field, "
                       "a report column and (runlens metric, the Curves tab) a curve computed on the steps every metric "
                       "it reads logged. In the column, metrics.K is the run's last value (metrics.K.min its minimum). "
                       "Without NAME, lists them; without EXPRESSION, prints it; --clear removes it."),
        {{{QStringLiteral("clear")}, {}, QStringLiteral("Remove the derived metric NAME."), {}}, kindOnly},
        1, 3, {}, false, &deriveCommand});
    c.push_back({QStringLiteral("promote"), QStringLiteral("STORE RUN... [--why TEXT] [--force]"),
        QStringLiteral("promote runs to candidate, recording why"),
        QStringLiteral("Marks the runs as candidates (the tag runlens.candidate) with a record of who, when, why, the "
                       "experiment's rule and baseline, and the run's metrics now. A run that does not meet its "
                       "experiment's rule is refused unless --force, which the record keeps."),
        {{{QStringLiteral("why")}, QStringLiteral("TEXT"), QStringLiteral("Why these runs graduate."), {}},
            {{QStringLiteral("force")}, {}, QStringLiteral("Promote runs that do not meet the rule."), {}}, kindOnly},
        2, -1, {}, false, &promoteCommand});
    c.push_back({QStringLiteral("demote"), QStringLiteral("STORE RUN..."), QStringLiteral("take the candidate mark off runs"),
        QStringLiteral("Takes the runs off the candidates; their promotion stays in the edit history."), {kindOnly}, 2, -1,
        {}, false, &demoteCommand});
    c.push_back({QStringLiteral("candidates"), QStringLiteral("STORE [--experiment E] [--run RUN]... [--format table|json]"),
        QStringLiteral("list candidates and the runs that meet the rule; gate CI on it"),
        QStringLiteral("Prints each experiment's promotion rule, its candidates with their promotion records, and the "
                       "finished runs that meet the rule but are not promoted. With --run, prints whether each given "
                       "run meets its experiment's rule and exits 1 unless every one does, so CI can gate on it."),
        {{{QStringLiteral("experiment")}, QStringLiteral("E"), QStringLiteral("Only this experiment."), {}},
            {{QStringLiteral("run")}, QStringLiteral("RUN"), QStringLiteral("Check this run against its rule (repeatable)."), {}},
            formatOption({QStringLiteral("table"), QStringLiteral("json")}), kindOnly},
        1, 1, {QStringLiteral("table"), QStringLiteral("json")}, false, &candidatesCommand});
    c.push_back({QStringLiteral("artifacts"), QStringLiteral("STORE RUN [--format table|json]"),
        QStringLiteral("list what a run produced: artifact files and logged images, tables, text"),
        QStringLiteral("Lists the run's artifact files and the media it logged (images, tables, text, confusion "
                       "matrices; one line a step for per-step media), with kind, size and sha256, as the app's "
                       "Artifacts tab shows them."),
        {formatOption({QStringLiteral("table"), QStringLiteral("json")}), kindOption(), deletedOption()},
        2, 2, {QStringLiteral("table"), QStringLiteral("json")}, false, &artifactsCommand});
    c.push_back({QStringLiteral("artifact"), QStringLiteral("STORE RUN PATH [--step N] [-o FILE]"),
        QStringLiteral("write one artifact or logged medium of a run to a file or stdout"),
        QStringLiteral("Writes the bytes of the run's artifact or media key PATH (as `artifacts` lists it) to FILE, "
                       "or to stdout without -o. Per-step media: --step N, else the latest step."),
        {{{QStringLiteral("step")}, QStringLiteral("N"), QStringLiteral("The step of per-step media (default: the latest)."), {}},
            outputOption(QStringLiteral("The file to write (default: stdout).")), kindOption(), deletedOption()},
        3, 3, {}, false, &artifactCommand});
    c.push_back({QStringLiteral("models"), QStringLiteral("STORE [MODEL] [--format table|json]"),
        QStringLiteral("list the registered models and the runs their versions came from"),
        QStringLiteral("Prints each registered model of the store (ours, or an MLflow store's registry) with its "
                       "aliases and its versions: stage, aliases, the run it was registered from, that run's metrics "
                       "when it was registered, and who registered it when."),
        {formatOption({QStringLiteral("table"), QStringLiteral("json")}), kindOnly},
        1, 2, {QStringLiteral("table"), QStringLiteral("json")}, false, &modelsCommand});
    c.push_back({QStringLiteral("register"), QStringLiteral("STORE RUN MODEL [--path P] [--alias A,...] [--description D]"),
        QStringLiteral("register a run's model as the next version of MODEL"),
        QStringLiteral("Registers the model the run logged under --path (default: model) as the next version of "
                       "MODEL, creating MODEL when needed, and promotes the run to candidate with a record naming "
                       "the version. --alias points aliases (champion, challenger) at the new version. Our stores only."),
        {{{QStringLiteral("path")}, QStringLiteral("P"), QStringLiteral("The model's artifact path in the run."),
          QStringLiteral("model")},
            {{QStringLiteral("alias")}, QStringLiteral("A,..."), QStringLiteral("Aliases to point at the new version."), {}},
            {{QStringLiteral("description")}, QStringLiteral("D"), QStringLiteral("The version's description."), {}},
            kindOnly},
        3, 3, {}, false, &registerCommand});
    c.push_back({QStringLiteral("alias"), QStringLiteral("STORE MODEL ALIAS (VERSION | --clear)"),
        QStringLiteral("point a model's alias at a version, or clear it"),
        QStringLiteral("Points ALIAS (champion, challenger, ...) of MODEL at VERSION, or removes it with --clear. The "
                       "registry keeps every move: the app's Models tab shows the alias history. Our stores only."),
        {{{QStringLiteral("clear")}, {}, QStringLiteral("Remove the alias."), {}}, kindOnly},
        3, 4, {}, false, &aliasCommand});
    c.push_back({QStringLiteral("annotations"), QStringLiteral("(export STORE [-o FILE] | import STORE FILE)"),
        QStringLiteral("send the notes of another tool's store along with it"),
        QStringLiteral("Another tool's store keeps Runlens's edits beside it, in the app's data folder. export writes "
                       "them as JSON (to FILE or standard output); import adds such a file's edits to this store's."),
        {outputOption(QStringLiteral("Where to write the export (default: standard output).")), kindOnly},
        2, 3, {}, false, &annotationsCommand});
    c.push_back({QStringLiteral("report"),
        QStringLiteral("STORE... (--runs A,B | --query Q) [--metrics m1,m2] [--title T] [--notes N]\n"
                       "               [--sections S,...] [--artifacts P,...] [--x step|elapsed|time] [--tool-tags]\n"
                       "               -o report.html|report.pdf"),
        QStringLiteral("a comparison report of runs as HTML or PDF"),
        QStringLiteral("Writes a comparison report: the run table, what differs with deltas against the baseline, "
                       "metric curves, parallel coordinates, seed statistics and each run's provenance. HTML is one "
                       "self-contained file; PDF has vector figures."),
        {{{QStringLiteral("runs")}, QStringLiteral("A,B"), QStringLiteral("The runs: ids, id prefixes or names."), {}},
            queryOption(),
            {{QStringLiteral("metrics")}, QStringLiteral("m1,m2"), QStringLiteral("The metrics to chart."), {}},
            {{QStringLiteral("title")}, QStringLiteral("T"), QStringLiteral("The report's title."), {}},
            {{QStringLiteral("notes")}, QStringLiteral("N"), QStringLiteral("Notes printed under the title."), {}},
            {{QStringLiteral("sections")}, QStringLiteral("S,..."),
                QStringLiteral("Sections to include: runs, differences, curves, parallel, seeds, provenance "
                               "(default: all)."),
                {}},
            {{QStringLiteral("artifacts")}, QStringLiteral("P,..."),
                QStringLiteral("Artifact paths or media keys to show side by side (runlens artifacts lists them): "
                               "images, confusion matrices with their difference, text, tables."),
                {}},
            xAxisOption(), toolTagsOption(),
            outputOption(QStringLiteral("The report: a .html or a .pdf file."))},
        1, -1, {}, true, &reportCommand});
    c.push_back({QStringLiteral("snapshot"),
        QStringLiteral("STORE... --view %1\n"
                       "               [--runs ID,...] [--query Q] [--metrics m1,m2] [--params P[,Q]] [--group-by KEY [--bands minmax|sd]]\n"
                       "               [--sort [-]KEY] [--x AXIS] [--artifact PATH [--step N] [--difference]] [--size WxH] -o out.png")
            .arg(ui::snapshotViews().join(QLatin1Char('|'))),
        QStringLiteral("render a view of the app to PNG, without a display"),
        QStringLiteral("Renders a view as the window would show it, to a PNG file; no display is needed."),
        {{{QStringLiteral("view")}, QStringLiteral("VIEW"),
             QStringLiteral("The view: %1.").arg(ui::snapshotViews().join(QStringLiteral(", "))), QStringLiteral("table")},
            {{QStringLiteral("runs")}, QStringLiteral("ID,..."), QStringLiteral("Runs to select: ids, id prefixes or names."),
                {}},
            queryOption(),
            {{QStringLiteral("metrics")}, QStringLiteral("m1,m2"),
                QStringLiteral("Metrics to chart (scatter: Y, or X,Y; seeds, importance, distributions: the metric)."), {}},
            {{QStringLiteral("params")}, QStringLiteral("P[,Q]"),
                QStringLiteral("distributions: the param to group by (box plots), or two (a heat map of P by Q)."), {}},
            {{QStringLiteral("group-by")}, QStringLiteral("KEY"), QStringLiteral("A column to group by, e.g. params.lr."), {}},
            {{QStringLiteral("bands")}, QStringLiteral("minmax|sd"), QStringLiteral("With --group-by: draw group bands."), {}},
            {{QStringLiteral("sort")}, QStringLiteral("[-]KEY"),
                QStringLiteral("A column to sort the run table by, e.g. -metrics.val/auc ('-': descending)."), {}},
            xAxisOption(),
            {{QStringLiteral("artifact")}, QStringLiteral("PATH"),
                QStringLiteral("artifacts: the artifact path or media key to show (default: the first image)."), {}},
            {{QStringLiteral("step")}, QStringLiteral("N"),
                QStringLiteral("artifacts: the step of per-step media; each run shows its nearest (default: the last)."), {}},
            {{QStringLiteral("difference")}, {}, QStringLiteral("artifacts: show images as their difference from the first run's."), {}},
            {{QStringLiteral("size")}, QStringLiteral("WxH"), QStringLiteral("The image size."), QStringLiteral("1400x900")},
            outputOption(QStringLiteral("The PNG file."))},
        1, -1, {}, true, &snapshotCommand});
    c.push_back({QStringLiteral("help"), QStringLiteral("[COMMAND]"), QStringLiteral("this overview, or one command's options"),
        QStringLiteral("Without COMMAND, lists the commands; with one, its arguments and options."), {}, 0, 1, {}, false,
        nullptr});
    c.push_back({QStringLiteral("version"), QString(), QStringLiteral("the version of Runlens (also --version)"),
        QStringLiteral("Prints the version of Runlens."), {}, 0, 0, {}, false, nullptr});
    return c;
}

QString optionSpelling(const CliOption& o)
{
    QStringList spelled;
    for (const auto& n : o.names)
        spelled << (n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n;
    QString text = spelled.join(QStringLiteral(", "));
    if (!o.valueName.isEmpty())
        text += QLatin1Char(' ') + o.valueName;
    return text;
}

// The positional part of a synopsis: "STORE RUN_A RUN_B" of "STORE RUN_A RUN_B [--format ...]".
QString positionalSynopsis(const CliCommand& c)
{
    QStringList words;
    for (const auto& w : c.arguments.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (w.startsWith(QLatin1Char('[')) || w.startsWith(QLatin1Char('-')) || w.startsWith(QLatin1Char('(')))
            break;
        words << w;
    }
    return words.join(QLatin1Char(' '));
}

// Words filled to `width` columns; lines after the first indented by `indent`.
QString wrapped(const QString& text, int width, int indent)
{
    QString out, line;
    for (const auto& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && indent + line.size() + 1 + word.size() > width) {
            out += line + QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    return out + line;
}

QString versionText()
{
    return QStringLiteral("runlens %1\n").arg(QStringLiteral(RUNLENS_VERSION));
}

} // namespace

QString CliCall::value(const QString& option) const
{
    return parser.value(option);
}

bool CliCall::isSet(const QString& option) const
{
    return parser.isSet(option);
}

QStringList CliCall::list(const QString& option) const
{
    return parser.value(option).split(QLatin1Char(','), Qt::SkipEmptyParts);
}

const std::vector<CliCommand>& commands()
{
    static const std::vector<CliCommand> table = makeCommands();
    return table;
}

const CliCommand* findCommand(const QString& name)
{
    const auto& table = commands();
    const auto it = std::find_if(table.begin(), table.end(), [&](const CliCommand& c) { return c.name == name; });
    return it == table.end() ? nullptr : &*it;
}

QString usageText()
{
    QString text = QStringLiteral("usage: runlens [STORE...]             open the desktop app on these stores\n"
                                  "       runlens COMMAND [ARGUMENTS...]\n\ncommands:\n");
    for (const auto& c : commands()) {
        const QString head = QStringLiteral("  %1 %2").arg(c.name, positionalSynopsis(c));
        text += (head.size() < 30 ? head.leftJustified(30) : head + QLatin1Char('\n') + QString(30, QLatin1Char(' ')))
            + c.summary + QLatin1Char('\n');
    }
    text += QStringLiteral(
        "\n"
        "`runlens help COMMAND` gives a command's arguments and options.\n"
        "STORE is a Runlens store, an MLflow mlruns folder or mlflow.db, a TensorBoard logdir, Lightning CSV logs,\n"
        "DVCLive output, W&B run folders (wandb/), Sacred run folders, Guild runs, Comet offline archives,\n"
        "neptune offline runs (.neptune/), or a team store's URL\n"
        "(postgresql://user@host/database); --kind %1 forces one.\n"
        "RUN is a run id, a unique id prefix or a unique run name.\n"
        "Queries: params.lr < 1e-3 and status = finished order by metrics.val_auc desc limit 10\n"
        "Exit codes: 0 ok, 1 failed, 2 usage, 3 store cannot be opened, 4 run not found, 5 invalid query, 6 a "
        "watched run failed, crashed or logged NaN/Inf (watch --exit-on-failure).\n")
                .arg(storeKinds().join(QLatin1Char('|')));
    return text;
}

QString commandHelp(const CliCommand& c)
{
    constexpr int kWidth = 100, kIndent = 24;
    QString text = QStringLiteral("usage: runlens %1%2\n\n%3\n")
                       .arg(c.name, c.arguments.isEmpty() ? QString() : QLatin1Char(' ') + c.arguments,
                            wrapped(c.description, kWidth, 0));
    if (!c.options.empty()) {
        text += QStringLiteral("\nOptions:\n");
        for (const auto& o : c.options) {
            QString line = QStringLiteral("  ") + optionSpelling(o);
            line = line.size() < kIndent ? line.leftJustified(kIndent)
                                         : line + QLatin1Char('\n') + QString(kIndent, QLatin1Char(' '));
            QString about = o.description;
            if (!o.defaultValue.isEmpty())
                about += QStringLiteral(" Default: %1.").arg(o.defaultValue);
            text += line + wrapped(about, kWidth, kIndent) + QLatin1Char('\n');
        }
    }
    return text;
}

ExitCode usageError(const QString& command, const QString& message, QTextStream& err)
{
    err << "runlens " << command << ": " << message << "\n\n" << commandHelp(*findCommand(command));
    return Usage;
}

const CliCommand* commandOf(const QStringList& arguments)
{
    return arguments.isEmpty() ? nullptr : findCommand(arguments.first());
}

bool isCommand(const QStringList& arguments)
{
    return commandOf(arguments) != nullptr
        || (!arguments.isEmpty()
            && (arguments.first() == QLatin1String("--help") || arguments.first() == QLatin1String("-h")
                || arguments.first() == QLatin1String("--version")));
}

int run(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    if (arguments.isEmpty() || arguments.first() == QLatin1String("-h") || arguments.first() == QLatin1String("--help")) {
        out << usageText();
        return Ok;
    }
    if (arguments.first() == QLatin1String("--version")) {
        out << versionText();
        return Ok;
    }
    const CliCommand* command = commandOf(arguments);
    if (!command) {
        err << "runlens: no command '" << arguments.first() << "'\n\n" << usageText();
        return Usage;
    }
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    for (const auto& o : command->options)
        parser.addOption(QCommandLineOption(o.names, o.description, o.valueName, o.defaultValue));
    const QCommandLineOption helpOption({QStringLiteral("help"), QStringLiteral("h")}, QStringLiteral("This help."));
    parser.addOption(helpOption);
    QStringList argv = arguments;
    argv.front() = QStringLiteral("runlens"); // the parser expects a program name first
    if (!parser.parse(argv)) {
        err << "runlens " << command->name << ": " << parser.errorText() << "\n\n" << commandHelp(*command);
        return Usage;
    }
    if (parser.isSet(helpOption)) {
        out << commandHelp(*command);
        return Ok;
    }
    const QStringList positionals = parser.positionalArguments();
    const auto count = positionals.size();
    if (count < command->minPositionals || (command->maxPositionals >= 0 && count > command->maxPositionals)) {
        err << "runlens " << command->name << ": expected " << positionalSynopsis(*command) << ", got " << count
            << " argument(s)\n\n"
            << commandHelp(*command);
        return Usage;
    }
    if (!command->formats.isEmpty()) {
        const QString format = parser.value(QStringLiteral("format"));
        if (!format.isEmpty() && !command->formats.contains(format)) {
            err << "runlens " << command->name << ": unknown format '" << format << "' (use "
                << command->formats.join(QLatin1Char('|')) << ")\n";
            return Usage;
        }
    }
    if (command->name == QLatin1String("version")) {
        out << versionText();
        return Ok;
    }
    if (command->name == QLatin1String("help")) {
        if (positionals.isEmpty()) {
            out << usageText();
            return Ok;
        }
        const CliCommand* about = findCommand(positionals.first());
        if (!about) {
            err << "runlens help: no command '" << positionals.first() << "'\n\n" << usageText();
            return Usage;
        }
        out << commandHelp(*about);
        return Ok;
    }
    QString format;
    if (!command->formats.isEmpty()) {
        format = parser.value(QStringLiteral("format"));
        if (format.isEmpty())
            format = command->formats.first();
    }
    return command->run(CliCall{parser, positionals, format, out, err});
}

} // namespace runlens::cli
