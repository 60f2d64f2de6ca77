// SPDX-License-Identifier: GPL-3.0-or-later
// Code diff between runs, on a repository this test makes with libgit2:
// two commits, then an uncommitted change; runs logged at each state.
#include "code_diff.h"
#include "code_diff_view.h"
#include "runlens/runlens.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <git2.h>

using namespace runlens;

namespace {

void writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// Stages everything and commits it on HEAD.
void commitAll(git_repository* repo, const char* message)
{
    git_index* index = nullptr;
    QCOMPARE(git_repository_index(&index, repo), 0);
    QCOMPARE(git_index_add_all(index, nullptr, 0, nullptr, nullptr), 0);
    QCOMPARE(git_index_write(index), 0);
    git_oid treeId, commitId;
    QCOMPARE(git_index_write_tree(&treeId, index), 0);
    git_index_free(index);
    git_tree* tree = nullptr;
    QCOMPARE(git_tree_lookup(&tree, repo, &treeId), 0);
    git_signature* sig = nullptr;
    QCOMPARE(git_signature_now(&sig, "Test", "test@example.com"), 0);
    git_oid parentId;
    git_commit* parent = nullptr;
    const bool hasParent = git_reference_name_to_id(&parentId, repo, "HEAD") == 0;
    if (hasParent)
        QCOMPARE(git_commit_lookup(&parent, repo, &parentId), 0);
    const git_commit* parents[] = {parent};
    QCOMPARE(git_commit_create(&commitId, repo, "HEAD", sig, sig, nullptr, message, tree, hasParent ? 1 : 0, parents), 0);
    git_commit_free(parent);
    git_signature_free(sig);
    git_tree_free(tree);
}

} // namespace

class TestCodeDiff : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString repoPath_, store_;
    RunDetails first_, second_;

private slots:
    void initTestCase()
    {
        git_libgit2_init();
        repoPath_ = dir_.filePath(QStringLiteral("project"));
        QDir().mkpath(repoPath_);
        git_repository* repo = nullptr;
        QCOMPARE(git_repository_init(&repo, repoPath_.toUtf8().constData(), 0), 0);
        writeFile(repoPath_ + QStringLiteral("/train.py"), "lr = 0.1\nepochs = 10\n");
        commitAll(repo, "first");
        store_ = dir_.filePath(QStringLiteral("runs.db"));
        const QString here = QDir::currentPath();
        QDir::setCurrent(repoPath_);
        auto log = [&](const char* name) {
            RunOptions o;
            o.name = name;
            o.capture_environment = false;
            auto run = Run::start(store_.toStdString(), o);
            run.finish();
            return QString::fromStdString(run.id());
        };
        const QString a = log("at-first");
        writeFile(repoPath_ + QStringLiteral("/train.py"), "lr = 0.2\nepochs = 10\n");
        commitAll(repo, "second");
        writeFile(repoPath_ + QStringLiteral("/train.py"), "lr = 0.2\nepochs = 20\n");   // uncommitted
        const QString b = log("at-second-dirty");
        QDir::setCurrent(here);
        git_repository_free(repo);
        auto reader = test::mustOpen(store_);
        first_ = *reader->loadDetails(a);
        second_ = *reader->loadDetails(b);
    }

    void cleanupTestCase() { git_libgit2_shutdown(); }

    void diffBetweenCommitsAndThePatches()
    {
        QVERIFY(first_.git.present && second_.git.present);
        QVERIFY(first_.git.commit != second_.git.commit);
        QVERIFY(!first_.git.dirty);
        QVERIFY(second_.git.dirty);
        const auto c = compareCode(first_, second_);
        QVERIFY2(c.message.isEmpty(), qPrintable(c.message));
        QVERIFY(c.commitDiff.contains(QStringLiteral("-lr = 0.1")));
        QVERIFY(c.commitDiff.contains(QStringLiteral("+lr = 0.2")));
        QVERIFY(!c.commitDiff.contains(QStringLiteral("epochs = 20")));   // not committed
        QVERIFY(c.patchA.isEmpty());
        QVERIFY(c.patchB.contains(QStringLiteral("+epochs = 20")));
    }

    void missingRepositoryOrCommitIsSaid()
    {
        RunDetails moved = second_;
        moved.git.repoPath = dir_.filePath(QStringLiteral("gone"));
        RunDetails movedFirst = first_;
        movedFirst.git.repoPath = moved.git.repoPath;
        auto c = compareCode(movedFirst, moved);
        QVERIFY(c.commitDiff.isEmpty());
        QVERIFY(c.message.contains(QStringLiteral("not on this machine")));
        // Pointing at the repository brings the diff back.
        c = compareCode(movedFirst, moved, repoPath_);
        QVERIFY(c.commitDiff.contains(QStringLiteral("+lr = 0.2")));
        RunDetails unknown = second_;
        unknown.git.commit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
        c = compareCode(first_, unknown);
        QVERIFY(c.message.contains(QStringLiteral("not in this repository")));
        RunDetails noGit = first_;
        noGit.git = {};
        QVERIFY(compareCode(noGit, second_).message.contains(QStringLiteral("recorded no git commit")));
        QVERIFY(compareCode(first_, first_).message.contains(QStringLiteral("both runs ran commit")));
    }

    void viewShowsBoth()
    {
        ui::CodeDiffView view;
        view.setRuns({first_, second_});
        QVERIFY(view.text().contains(QStringLiteral("+lr = 0.2")));
        QVERIFY(view.text().contains(QStringLiteral("Uncommitted changes of at-second-dirty")));
        view.setRuns({first_});
        QVERIFY(view.text().isEmpty());
    }
};

QTEST_MAIN(TestCodeDiff)
#include "test_code_diff.moc"
