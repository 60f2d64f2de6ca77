// SPDX-License-Identifier: GPL-3.0-or-later
// "Already tried" (issue 22 item 4): the logger's lookup of a run's config in
// its store. Same config with other seeds, an exact repeat, another data
// version, running and unfinished runs counted apart, the skip policy
// leaving nothing behind, other stores not consulted, an older store without
// the config hash and its index, and the seed rule the same as the app's.
#include "test_support.h"

#include "runlens/store_schema.h"
#include "seed_keys.h"

#include <QTemporaryDir>

using namespace runlens;
using namespace runlens::test;

namespace {

RunOptions configured(std::string name, const std::string& config, OnDuplicate policy = OnDuplicate::Warn)
{
    RunOptions o = testRun(std::move(name));
    o.experiment = "sweep";
    o.capture_environment = false;
    o.config = config;
    o.on_duplicate = policy;
    return o;
}

// A finished run of `config` with val_auc = `auc`.
std::string finishedRun(const std::string& store, const std::string& config, double auc, const char* data = nullptr)
{
    auto run = Run::start(store, configured("r", config));
    if (data)
        run.logDataVersion("train", data);
    run.logMetric("val_auc", auc, 0);
    // What the system sampler logs, first in byte order: never the one summarised.
    run.logMetric("system/cpu_percent", 50.0, 0);
    run.finish();
    return run.id();
}

int64_t runCount(const std::string& store)
{
    SqliteDb db(store, SqliteDb::Mode::ReadOnly);
    auto st = db.prepare("SELECT count(*) FROM runs");
    st.step();
    return st.int64(0);
}

std::string tagOf(const std::string& store, const std::string& id, const char* key)
{
    SqliteDb db(store, SqliteDb::Mode::ReadOnly);
    auto st = db.prepare("SELECT value FROM tags WHERE run_id=? AND key=?");
    st.bind(1, id).bind(2, key);
    return st.step() ? std::string(st.text(0)) : std::string();
}

} // namespace

class TestAlreadyTried : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string store(const char* name) const { return dir_.filePath(QString::fromUtf8(name)).toStdString(); }

private slots:
    void seedRuleIsTheApps()
    {
        // The logger cannot link core/model (Qt): its copy of the rule must
        // give the same answer on every kind of key.
        for (const char* key : {"seed", "Seed", "SEED", "data.seed", "model.Seed", "init_seed", "data_SEED", "seeds",
                 "seed_value", "seedling", "reseed", "myseed", "x.seed.y", "_seed", ".seed", "lr", "", "seed.x"}) {
            QVERIFY2(isSeedParamKey(key) == isSeedKey(QString::fromUtf8(key), defaultSeedKeys()), key);
        }
    }

    void otherSeedsAndExactRepeatsAreToldApart()
    {
        const std::string path = store("seeds.db");
        finishedRun(path, R"({"lr": 0.1, "seed": 1})", 0.90);
        finishedRun(path, R"({"lr": 0.1, "seed": 2})", 0.92);
        finishedRun(path, R"({"lr": 0.2, "seed": 1})", 0.50); // another config

        auto again = Run::start(path, configured("again", R"({"lr": 0.1, "seed": 2})"));
        again.finish();
        const auto tag = tagOf(path, again.id(), "runlens.already_tried");
        QVERIFY2(tag.find("\"finished\":2") != std::string::npos, tag.c_str());
        QVERIFY2(tag.find("\"exact\":1") != std::string::npos, tag.c_str());
        QVERIFY2(tag.find("\"metric\":\"val_auc\"") != std::string::npos, tag.c_str());
        QVERIFY2(tag.find("\"mean\":0.91") != std::string::npos, tag.c_str());

        auto fresh = Run::start(path, configured("fresh", R"({"lr": 0.3, "seed": 1})"));
        fresh.finish();
        QCOMPARE(tagOf(path, fresh.id(), "runlens.already_tried"), std::string());

        // The explicit lookup, for a config logged after start; the metric as asked.
        RunOptions later = configured("later", "");
        later.tried_metric = "val_auc";
        auto run = Run::start(path, later);
        QVERIFY(run.logParam("lr", 0.1));
        QVERIFY(run.logParam("seed", int64_t(7)));
        const AlreadyTried found = run.checkAlreadyTried();
        QCOMPARE(found.sameConfig, 3); // the two seeds and "again"
        QCOMPARE(found.exact, 0);
        QCOMPARE(found.n, 2);          // "again" logged no metric
        QCOMPARE(found.metric, std::string("val_auc"));
        QVERIFY(std::abs(found.mean - 0.91) < 1e-12);
        QVERIFY(std::abs(found.sd - 0.0141421356) < 1e-8);
        QVERIFY(found.text(found.lastEndMs + 2 * 86400 * 1000LL).find("2 days ago") != std::string::npos);
        run.finish();
        QVERIFY(!tagOf(path, run.id(), "runlens.already_tried").empty());
    }

    void anotherDataVersionIsAnotherExperiment()
    {
        const std::string path = store("data.db");
        finishedRun(path, R"({"lr": 0.1})", 0.9, "v1");
        auto run = Run::start(path, configured("v2", ""));
        run.logParam("lr", 0.1);
        run.logDataVersion("train", "v2");
        QCOMPARE(run.checkAlreadyTried().sameConfig, 0);
        run.logDataVersion("train", "v1");
        QCOMPARE(run.checkAlreadyTried().sameConfig, 1);
        run.finish();
    }

    void runningAndUnfinishedAreCountedApart()
    {
        const std::string path = store("status.db");
        const char* config = R"({"lr": 0.1, "seed": 1})";
        finishedRun(path, config, 0.9);
        auto live = Run::start(path, configured("live", config)); // still running, in this process
        live.flush();
        auto failed = Run::start(path, configured("failed", config));
        failed.finish(RunStatus::Failed);
        auto dead = Run::start(path, configured("dead", config));
        dead.finish();
        {
            // A logger that died: running, with a heartbeat long stale.
            SqliteDb db(path, SqliteDb::Mode::ReadWriteCreate);
            db.prepare("UPDATE runs SET status='running', end_time=NULL, heartbeat=1000 WHERE id=?").bind(1, dead.id()).run();
        }
        auto probe = Run::start(path, configured("probe", config, OnDuplicate::Ignore));
        const AlreadyTried found = probe.checkAlreadyTried();
        QCOMPARE(found.sameConfig, 1);
        QCOMPARE(found.exact, 1);
        QCOMPARE(found.running, 1);
        QCOMPARE(found.unfinished, 2);
        QVERIFY(found.text(found.lastEndMs).find("1 still running; 2 failed or crashed") != std::string::npos);
        probe.finish();
        live.finish();
    }

    void skipLeavesNothingBehind()
    {
        const std::string path = store("skip.db");
        const char* config = R"({"lr": 0.1, "seed": 1})";
        finishedRun(path, config, 0.9);
        QCOMPARE(runCount(path), 1);
        bool thrown = false;
        try {
            Run::start(path, configured("again", config, OnDuplicate::Skip));
        } catch (const AlreadyTriedError& e) {
            thrown = true;
            QCOMPARE(e.found().exact, 1);
        }
        QVERIFY(thrown);
        QCOMPARE(runCount(path), 1);
        // Another seed of the config is new work: it runs (and is told).
        auto other = Run::start(path, configured("seed 2", R"({"lr": 0.1, "seed": 2})", OnDuplicate::Skip));
        other.finish();
        QCOMPARE(runCount(path), 2);
        // A run that did not finish is no reason to skip.
        auto failed = Run::start(path, configured("fails", R"({"lr": 0.5})"));
        failed.finish(RunStatus::Failed);
        Run::start(path, configured("retry", R"({"lr": 0.5})", OnDuplicate::Skip)).finish();
        QCOMPARE(runCount(path), 4);
    }

    void otherStoresAreNotConsulted()
    {
        const std::string a = store("a.db"), b = store("b.db");
        const char* config = R"({"lr": 0.1})";
        finishedRun(a, config, 0.9);
        auto inB = Run::start(b, configured("b", config, OnDuplicate::Skip)); // nothing in b: runs
        inB.finish();
        QCOMPARE(tagOf(b, inB.id(), "runlens.already_tried"), std::string());
        // Each store answers for its own runs.
        QVERIFY_THROWS_EXCEPTION(AlreadyTriedError, Run::start(a, configured("a", config, OnDuplicate::Skip)));
        QVERIFY_THROWS_EXCEPTION(AlreadyTriedError, Run::start(b, configured("b", config, OnDuplicate::Skip)));
    }

    void anOlderStoreOpensAndItsRunsAreFound()
    {
        const std::string path = store("v2.db");
        finishedRun(path, R"({"lr": 0.1, "seed": 1})", 0.9);
        {
            // Made as schema 2 had it: no config_hash, no index.
            SqliteDb db(path, SqliteDb::Mode::ReadWriteCreate);
            db.exec("DROP INDEX runs_by_config");
            db.exec("ALTER TABLE runs DROP COLUMN config_hash");
            db.exec("UPDATE store_meta SET value='2' WHERE key='schema_version'");
        }
        QVERIFY(mustLoad(*mustOpen(QString::fromStdString(path)))->rowCount() == 1); // readers take it as it is
        auto run = Run::start(path, configured("new", R"({"lr": 0.1, "seed": 2})"));
        run.finish();
        QVERIFY(tagOf(path, run.id(), "runlens.already_tried").find("\"finished\":1") != std::string::npos);
        SqliteDb db(path, SqliteDb::Mode::ReadOnly);
        // Added in place: the version an older Runlens checks stays 2, so it still opens the store.
        QCOMPARE(storeSchemaVersion(db), 2);
        auto plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM runs WHERE experiment_id=1 AND config_hash='x'");
        QVERIFY(plan.step());
        QVERIFY2(std::string(plan.text(3)).find("runs_by_config") != std::string::npos, std::string(plan.text(3)).c_str());
    }

    void theEnvironmentChoosesThePolicy()
    {
        const std::string path = store("env.db");
        const char* config = R"({"lr": 0.1})";
        finishedRun(path, config, 0.9);
        RunOptions o = configured("env", config);
        o.on_duplicate.reset();
        qputenv("RUNLENS_ON_DUPLICATE", "skip");
        QVERIFY_THROWS_EXCEPTION(AlreadyTriedError, Run::start(path, o));
        qputenv("RUNLENS_ON_DUPLICATE", "sometimes");
        QVERIFY_THROWS_EXCEPTION(Error, Run::start(path, o));
        qputenv("RUNLENS_ON_DUPLICATE", "ignore");
        auto run = Run::start(path, o);
        run.finish();
        qunsetenv("RUNLENS_ON_DUPLICATE");
        QCOMPARE(tagOf(path, run.id(), "runlens.already_tried"), std::string());
    }
};

QTEST_GUILESS_MAIN(TestAlreadyTried)
#include "test_already_tried.moc"
