// SPDX-License-Identifier: GPL-3.0-or-later
// The model registry kept in our store (runlens/model_registry.h): versions
// numbered once and never reused, even by two writers at once; aliases
// that move keep their history; refusals that write nothing; registering
// a version promotes its run (the candidate record names the model); an
// older store with no registry reads as empty and is left unchanged;
// hand-made rows are skipped, not fatal; MLflow's registry tables read
// through the same fold; a registration made after the window opened the
// store shows on the next refresh.
#include "mlflow_sqlite_reader.h"
#include "promotion.h"
#include "runlens/model_registry.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "store_run_editor.h"
#include "test_support.h"
#include "workspace.h"

#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace runlens;
using namespace runlens::test;

namespace {

RegistryChange change(RegistryAction action, std::string model, int64_t version = 0, std::string key = {},
                      std::optional<std::string> value = std::nullopt)
{
    RegistryChange c;
    c.action = action;
    c.model = std::move(model);
    c.version = version;
    c.key = std::move(key);
    c.value = std::move(value);
    return c;
}

RegistryChange registration(std::string model, std::string runId)
{
    RegistryChange c = change(RegistryAction::CreateVersion, std::move(model));
    c.source = "runs:/" + runId + "/model";
    c.runId = std::move(runId);
    return c;
}

RegistryResult apply(const QString& store, std::vector<RegistryChange> changes, const std::string& user = "ana")
{
    SqliteDb db = openStoreForWriting(store.toStdString());
    return applyRegistryChanges(db, changes, user);
}

ModelRegistry readBack(const QString& store)
{
    auto reader = mustOpen(store);
    auto registry = reader->loadModelRegistry();
    if (!registry)
        throw std::runtime_error(registry.error().toStdString());
    return std::move(*registry);
}

int64_t eventCount(const QString& store)
{
    SqliteDb db(store.toStdString(), SqliteDb::Mode::ReadOnly);
    if (!db.tableExists("model_registry_events"))
        return 0;
    auto st = db.prepare("SELECT count(*) FROM model_registry_events");
    st.step();
    return st.int64(0);
}

// Three finished runs with an accuracy each; their ids.
std::vector<std::string> threeRuns(const QString& store)
{
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        Run run = Run::start(store.toStdString(), testRun("rf-" + std::to_string(i)));
        run.logMetric("acc", 0.8 + i / 100.0, 1);
        run.finish();
        ids.push_back(run.id());
    }
    return ids;
}

template <class F> RegistryErrorKind refusal(F&& f)
{
    try {
        f();
    } catch (const RegistryError& e) {
        return e.kind();
    }
    throw std::runtime_error("the change was not refused");
}

} // namespace

class TestModelRegistry : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("RUNLENS_SYSTEM_METRICS", "0");
    }

    void versionsAreNumberedAndRegisteringPromotesTheRun()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        const auto ids = threeRuns(store);
        apply(store, {change(RegistryAction::CreateModel, "churn", 0, {}, "predicts churn")});
        // The first run was promoted by hand before: registering keeps why, the rule and the baseline.
        PromotionRecord promoted{QStringLiteral("bo"), QDateTime::currentDateTimeUtc(), QStringLiteral("beats prod"),
                                 QStringLiteral("metrics.acc > 0.5"), true, QStringLiteral("base"), {}, {}, 0};
        QVERIFY(StoreRunEditor::write(store, RunEdit(RunField::Tag, kCandidateTag,
                                                     {{QString::fromStdString(ids[0]), std::nullopt, promoted.toJson()}}),
                                      QStringLiteral("bo")));
        for (const auto& id : ids)
            apply(store, {registration("churn", id)});
        const ModelRegistry r = readBack(store);
        QCOMPARE(r.models.size(), size_t(1));
        const RegisteredModelEntry& m = r.models[0];
        QCOMPARE(m.name, std::string("churn"));
        QCOMPARE(m.description, std::string("predicts churn"));
        QCOMPARE(m.versions.size(), size_t(3));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(m.versions[size_t(i)].version, int64_t(i + 1));
            QCOMPARE(m.versions[size_t(i)].runId, ids[size_t(i)]);
            QCOMPARE(m.versions[size_t(i)].source, "runs:/" + ids[size_t(i)] + "/model");
            QCOMPARE(m.versions[size_t(i)].user, std::string("ana"));
            QCOMPARE(m.versions[size_t(i)].stage, std::string("None"));
        }
        QCOMPARE(r.versionsOfRun(ids[1]), (std::vector<std::pair<std::string, int64_t>>{{"churn", 2}}));

        // The run is a candidate whose record names the model and version,
        // with its metrics then, and the run's edit history says so.
        auto reader = mustOpen(store);
        const auto table = mustLoad(*reader);
        const int row = table->rowOfId(QString::fromStdString(ids[1]));
        QVERIFY(isCandidate(*table, row));
        const auto record = promotionOf(*table, row);
        QVERIFY(record);
        QCOMPARE(record->model, QStringLiteral("churn"));
        QCOMPARE(record->version, qint64(2));
        QCOMPARE(record->user, QStringLiteral("ana"));
        QVERIFY(record->when.isValid());
        QCOMPARE(record->metrics.size(), size_t(1));
        QCOMPARE(record->metrics[0].first, QStringLiteral("acc"));
        QCOMPARE(record->metrics[0].second, 0.81);
        QVERIFY2(record->summary().startsWith(QStringLiteral("registered as churn v2 ")), qPrintable(record->summary()));
        const auto details = reader->loadDetails(QString::fromStdString(ids[1]));
        QVERIFY(details);
        QCOMPARE(details->events.size(), size_t(1));
        QCOMPARE(details->events[0].key, kCandidateTag);
        QVERIFY(!details->events[0].before);
        QCOMPARE(*details->events[0].after, table->tag(kCandidateTag)->text[size_t(row)]);
        const auto first = promotionOf(*table, table->rowOfId(QString::fromStdString(ids[0])));
        QVERIFY(first);
        QCOMPARE(first->why, QStringLiteral("beats prod"));
        QCOMPARE(first->rule, QStringLiteral("metrics.acc > 0.5"));
        QVERIFY(first->metRule);
        QCOMPARE(first->baseline, QStringLiteral("base"));
        QCOMPARE(first->model, QStringLiteral("churn"));
        QCOMPARE(first->version, qint64(1));
        QCOMPARE(first->user, QStringLiteral("ana"));   // who registered it
        QCOMPARE(record->why, QStringLiteral("registered as churn version 2"));
    }

    void aliasesMoveAndKeepTheirHistoryAndNumbersAreNeverReused()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        const auto ids = threeRuns(store);
        apply(store, {change(RegistryAction::CreateModel, "churn"), registration("churn", ids[0]),
                      registration("churn", ids[1]), registration("churn", ids[2])});
        apply(store, {change(RegistryAction::SetAlias, "churn", 1, "champion")});
        apply(store, {change(RegistryAction::SetAlias, "churn", 2, "champion"),
                      change(RegistryAction::SetAlias, "churn", 3, "challenger"),
                      change(RegistryAction::SetStage, "churn", 2, {}, "production")});
        ModelRegistry r = readBack(store);
        const RegisteredModelEntry* m = r.model("churn");
        QVERIFY(m);
        QCOMPARE(m->aliases, (std::map<std::string, int64_t>{{"challenger", 3}, {"champion", 2}}));
        QCOMPARE(m->version(2)->stage, std::string("Production"));   // as MLflow spells it
        QCOMPARE(m->aliasesOf(2), std::vector<std::string>{"champion"});
        // Champion's history: v1, then v2.
        std::vector<int64_t> champion;
        for (size_t i : m->events)
            if (r.events[i].action == "alias" && r.events[i].key == "champion")
                champion.push_back(r.events[i].version);
        QCOMPARE(champion, (std::vector<int64_t>{1, 2}));

        // Deleting version 3 takes its alias with it; the next version is 4, not 3.
        apply(store, {change(RegistryAction::DeleteVersion, "churn", 3)});
        const auto again = apply(store, {registration("churn", ids[2])});
        QCOMPARE(again.createdVersion, int64_t(4));
        r = readBack(store);
        QCOMPARE(r.model("churn")->aliases, (std::map<std::string, int64_t>{{"champion", 2}}));
        QVERIFY(!r.model("churn")->version(3));
        QVERIFY(r.model("churn")->version(4));

        // A renamed model keeps its versions and history; the old name is free again.
        apply(store, {change(RegistryAction::RenameModel, "churn", 0, {}, "churn-v2")});
        r = readBack(store);
        QVERIFY(!r.model("churn"));
        QCOMPARE(r.model("churn-v2")->versions.size(), size_t(3));
        QCOMPARE(r.model("churn-v2")->events.size(), size_t(11));   // created, 4 versions, 3 aliases, a stage, a deletion, the rename
        apply(store, {change(RegistryAction::CreateModel, "churn")});
        QCOMPARE(readBack(store).model("churn")->versions.size(), size_t(0));
    }

    void refusalsWriteNothing()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        const auto ids = threeRuns(store);
        apply(store, {change(RegistryAction::CreateModel, "churn"), registration("churn", ids[0])});
        const int64_t before = eventCount(store);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::CreateModel, "churn")}); }),
                 RegistryErrorKind::AlreadyExists);
        QCOMPARE(refusal([&] { apply(store, {registration("nope", ids[1])}); }), RegistryErrorKind::NotFound);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::SetStage, "churn", 7, {}, "Staging")}); }),
                 RegistryErrorKind::NotFound);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::SetStage, "churn", 1, {}, "Prod")}); }),
                 RegistryErrorKind::Invalid);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::SetAlias, "churn", 1, "latest")}); }),
                 RegistryErrorKind::Invalid);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::SetAlias, "churn", 1, "V2")}); }),
                 RegistryErrorKind::Invalid);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::SetAlias, "churn", 0, "never-set")}); }),
                 RegistryErrorKind::NotFound);
        QCOMPARE(refusal([&] { apply(store, {registration("churn", "no-such-run")}); }), RegistryErrorKind::NotFound);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::CreateModel, "a\nb")}); }), RegistryErrorKind::Invalid);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::CreateModel, std::string(300, 'x'))}); }),
                 RegistryErrorKind::Invalid);
        // All or none: the good changes before a refused one are not kept, and
        // the run registered by them is not promoted.
        QCOMPARE(refusal([&] {
                     apply(store, {registration("churn", ids[1]), change(RegistryAction::SetAlias, "churn", 9, "x")});
                 }),
                 RegistryErrorKind::NotFound);
        QCOMPARE(eventCount(store), before);
        auto reader = mustOpen(store);
        const auto table = mustLoad(*reader);
        QVERIFY(!isCandidate(*table, table->rowOfId(QString::fromStdString(ids[1]))));
        QVERIFY(isCandidate(*table, table->rowOfId(QString::fromStdString(ids[0]))));
        // JSON from the C ABI: refused when it is not a list of changes.
        QCOMPARE(refusal([] { registryChangesFromJson("{\"action\": \"create_model\"}"); }), RegistryErrorKind::Invalid);
        QCOMPARE(refusal([] { registryChangesFromJson("[{\"action\": \"drop_tables\"}]"); }), RegistryErrorKind::Invalid);
        QCOMPARE(refusal([] { registryChangesFromJson("[{\"action\": \"stage\", \"version\": \"1x\"}]"); }),
                 RegistryErrorKind::Invalid);
        const auto parsed = registryChangesFromJson(R"([{"action": "alias", "model": "m", "key": "c", "version": "3"}])");
        QCOMPARE(parsed.size(), size_t(1));
        QCOMPARE(parsed[0].version, int64_t(3));
    }

    void theHistoryIsAppendOnly()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        threeRuns(store);
        apply(store, {change(RegistryAction::CreateModel, "churn")});
        SqliteDb db = openStoreForWriting(store.toStdString());
        QVERIFY_THROWS_EXCEPTION(Error, db.exec("UPDATE model_registry_events SET model = 'x'"));
        QVERIFY_THROWS_EXCEPTION(Error, db.exec("DELETE FROM model_registry_events"));
    }

    void twoWritersAtOnceNeverShareAVersionNumber()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        const auto ids = threeRuns(store);
        apply(store, {change(RegistryAction::CreateModel, "churn")});
        constexpr int kEach = 15;
        std::vector<std::vector<int64_t>> got(2);
        std::vector<std::thread> writers;
        for (int w = 0; w < 2; ++w)
            writers.emplace_back([&, w] {
                for (int i = 0; i < kEach; ++i)
                    got[size_t(w)].push_back(apply(store, {registration("churn", ids[size_t(w)])}).createdVersion);
            });
        for (auto& t : writers)
            t.join();
        std::vector<int64_t> all = got[0];
        all.insert(all.end(), got[1].begin(), got[1].end());
        std::sort(all.begin(), all.end());
        std::vector<int64_t> expected(2 * kEach);
        std::iota(expected.begin(), expected.end(), 1);
        QCOMPARE(all, expected);
        QCOMPARE(readBack(store).model("churn")->versions.size(), size_t(2 * kEach));
    }

    void anOlderStoreHasNoRegistryAndReadingItChangesNothing()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        threeRuns(store);
        const QByteArray before = treeHash(dir.path());
        const ModelRegistry r = readBack(store);
        QVERIFY(r.models.empty());
        QVERIFY(r.events.empty());
        QCOMPARE(treeHash(dir.path()), before);
        QCOMPARE(eventCount(store), int64_t(0));
    }

    void handMadeRowsAreSkippedNotFatal()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        const auto ids = threeRuns(store);
        apply(store, {change(RegistryAction::CreateModel, "churn"), registration("churn", ids[0])});
        {
            SqliteDb db = openStoreForWriting(store.toStdString());
            db.exec("INSERT INTO model_registry_events(time, user, model, version, action, key, value) VALUES "
                    "(1, 'x', 'churn', 0, 'teleport', '', NULL),"           // a newer Runlens's action
                    "(2, 'x', 'ghost', 1, 'create_version', '', '{}'),"     // a model never created
                    "(3, 'x', 'churn', 1, 'create_version', '', 'not json')," // a number already taken
                    "(4, 'x', 'churn', 1, 'stage', '', 'Sideways'),"        // no such stage
                    "(5, 'x', 'churn', 0, 'create_model', '', NULL),"       // created twice
                    "(6, 'x', 'churn', 2, 'create_version', '', '{\"run_id\": null, \"source\": 7}')"); // odd fields
        }
        const ModelRegistry r = readBack(store);
        QCOMPARE(r.skippedEvents, 5);
        // The version with odd fields is taken, its fields empty: one bad row never stops the registry.
        QCOMPARE(r.model("churn")->versions.size(), size_t(2));
        QCOMPARE(r.model("churn")->version(2)->runId, std::string());
        QCOMPARE(r.model("churn")->version(2)->source, std::string());
        QCOMPARE(r.model("churn")->version(1)->stage, std::string("None"));
        // Writing goes on past them.
        QCOMPARE(apply(store, {registration("churn", ids[1])}).createdVersion, int64_t(3));
    }

    void oneBatchRegistersAliasesAndArchives()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        const auto ids = threeRuns(store);
        // The model made when missing, the version, an alias and a tag on it: one write.
        RegistryChange create = change(RegistryAction::CreateModel, "churn");
        create.ifMissing = true;
        const auto first = apply(store, {create, registration("churn", ids[0]),
                                         change(RegistryAction::SetAlias, "churn", kVersionCreatedInBatch, "champion"),
                                         change(RegistryAction::SetVersionTag, "churn", kVersionCreatedInBatch, "ok", "yes")});
        QCOMPARE(first.createdVersion, int64_t(1));
        QCOMPARE(first.registry.model("churn")->aliases.at("champion"), int64_t(1));
        QCOMPARE(first.registry.model("churn")->version(1)->tags.at("ok"), std::string("yes"));
        // Again, the model there already: still one version more, nothing refused.
        QCOMPARE(apply(store, {create, registration("churn", ids[1])}).createdVersion, int64_t(2));
        // A batch whose alias is refused leaves no version behind.
        const int64_t before = eventCount(store);
        QCOMPARE(refusal([&] {
                     apply(store, {registration("churn", ids[2]),
                                   change(RegistryAction::SetAlias, "churn", kVersionCreatedInBatch, "latest")});
                 }),
                 RegistryErrorKind::Invalid);
        QCOMPARE(eventCount(store), before);
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::SetAlias, "churn", kVersionCreatedInBatch, "x")}); }),
                 RegistryErrorKind::Invalid);
        // Version 0 names no version: an alias is removed by DeleteAlias only.
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::SetAlias, "churn", 0, "champion")}); }),
                 RegistryErrorKind::NotFound);
        apply(store, {change(RegistryAction::DeleteAlias, "churn", 0, "champion")});
        QVERIFY(readBack(store).model("churn")->aliases.empty());
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::DeleteAlias, "churn", 0, "champion")}); }),
                 RegistryErrorKind::NotFound);
        // Moving v2 to Production archives the version there before, in the same write.
        apply(store, {change(RegistryAction::SetStage, "churn", 1, {}, "Production")});
        RegistryChange promote = change(RegistryAction::SetStage, "churn", 2, {}, "production");
        promote.archiveOthers = true;
        apply(store, {promote});
        const ModelRegistry r = readBack(store);
        QCOMPARE(r.model("churn")->version(1)->stage, std::string("Archived"));
        QCOMPARE(r.model("churn")->version(2)->stage, std::string("Production"));
        RegistryChange archiveNone = change(RegistryAction::SetStage, "churn", 2, {}, "None");
        archiveNone.archiveOthers = true;
        QCOMPARE(refusal([&] { apply(store, {archiveNone}); }), RegistryErrorKind::Invalid);
        // C1 controls (a terminal's CSI, U+009B) are refused as C0 ones are.
        QCOMPARE(refusal([&] { apply(store, {change(RegistryAction::SetAlias, "churn", 1, "a\xC2\x9B" "31m")}); }),
                 RegistryErrorKind::Invalid);
        // The C ABI's JSON says the same: "created", if_missing, archive_others.
        const auto parsed = registryChangesFromJson(
            R"([{"action": "create_model", "model": "m", "if_missing": true},
                {"action": "version_tag", "model": "m", "version": "created", "key": "k", "value": "v"},
                {"action": "stage", "model": "m", "version": 1, "value": "Staging", "archive_others": true}])");
        QVERIFY(parsed[0].ifMissing);
        QCOMPARE(parsed[1].version, kVersionCreatedInBatch);
        QVERIFY(parsed[2].archiveOthers);
    }

    void mlflowsRegistryReadsThroughTheSameFold()
    {
        const QString path = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-sqlite/mlflow.db");
        if (!QFileInfo::exists(path))
            QFAIL(kMissingFixtures);
        const QByteArray before = fileHash(path);
        auto reader = MlflowSqliteReader::open(path);
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
        auto registry = (*reader)->loadModelRegistry();
        QVERIFY2(registry, qPrintable(registry ? QString() : registry.error()));
        QCOMPARE(registry->skippedEvents, 0);
        QVERIFY(!registry->historyKept);
        const RegisteredModelEntry* m = registry->model("logistic_regression");
        QVERIFY(m);
        QCOMPARE(m->versions.size(), size_t(1));
        QCOMPARE(m->version(1)->runId, std::string("85f2ec88988e43f4a1eac9b9cd9cb78c"));
        QCOMPARE(m->version(1)->source, std::string("models:/m-b09d4313adb54b4899bf71211ea34160"));
        QCOMPARE(m->version(1)->createdMs, int64_t(1754748219530));
        QCOMPARE(m->aliases, (std::map<std::string, int64_t>{{"production", 1}}));
        QCOMPARE(fileHash(path), before);

        // Versions whose creation times disagree with their numbers (machines
        // with different clocks sharing the file) are all kept.
        QTemporaryDir dir;
        const QString skewed = dir.filePath(QStringLiteral("mlflow.db"));
        QVERIFY(QFile::copy(path, skewed));
        {
            SqliteDb db(skewed.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("INSERT INTO model_versions(name, version, creation_time, last_updated_time, current_stage, source, "
                    "run_id, status) VALUES('logistic_regression', 2, 1000, 1000, 'Staging', 's2', '', 'READY'),"
                    "('logistic_regression', 3, 500, 500, 'Deleted_Internal', 's3', '', 'READY'),"
                    "('logistic_regression', 4, 10, NULL, NULL, NULL, NULL, NULL)");
        }
        auto skewedReader = MlflowSqliteReader::open(skewed);
        QVERIFY(skewedReader);
        auto read = (*skewedReader)->loadModelRegistry();
        QVERIFY(read);
        QCOMPARE(read->skippedEvents, 0);
        const RegisteredModelEntry* lr = read->model("logistic_regression");
        QCOMPARE(lr->versions.size(), size_t(3));   // 3 was deleted in MLflow
        QCOMPARE(lr->version(2)->stage, std::string("Staging"));
        QCOMPARE(lr->version(4)->stage, std::string("None"));
        QCOMPARE(lr->lastVersion, int64_t(4));
    }

    void aRegistrationAfterTheStoreWasOpenedShowsOnRefresh()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("runs.db"));
        const auto ids = threeRuns(store);
        Workspace w;
        QVERIFY(w.openAndWait({store}).isEmpty());
        QVERIFY(w.store(0).registry);
        QVERIFY(w.store(0).registry->models.empty());
        QVERIFY(w.keepsRegistry(0));
        // Another process (a training script) registers a version.
        apply(store, {change(RegistryAction::CreateModel, "churn"), registration("churn", ids[2])});
        QTRY_VERIFY_WITH_TIMEOUT((w.refresh(), w.store(0).registry->model("churn") != nullptr), 10000);
        const auto table = w.runs();
        QVERIFY(isCandidate(*table, table->rowOfId(QString::fromStdString(ids[2]))));

        // And from the window: the alias is written off the GUI thread, then read back.
        QSignalSpy changed(&w, &Workspace::registryChanged);
        w.changeRegistry(0, {change(RegistryAction::SetAlias, "churn", 1, "champion")});
        w.waitForEdits();
        QCOMPARE(changed.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(w.store(0).registry->model("churn")->aliases.contains("champion"), 10000);
        // A refused change is news, not a crash, and writes nothing.
        QSignalSpy failed(&w, &Workspace::editFailed);
        w.changeRegistry(0, {change(RegistryAction::SetAlias, "churn", 5, "champion")});   // no v5
        w.waitForEdits();
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed[0][0].toString().contains(QStringLiteral("not found")), qPrintable(failed[0][0].toString()));
    }
};

QTEST_MAIN(TestModelRegistry)
#include "test_model_registry.moc"
