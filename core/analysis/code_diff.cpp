// SPDX-License-Identifier: GPL-3.0-or-later
#include "code_diff.h"

#include <QDir>

#include <git2.h>

#include <memory>

namespace runlens {

namespace {

struct GitLibrary {
    GitLibrary() { git_libgit2_init(); }
    ~GitLibrary() { git_libgit2_shutdown(); }
};

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Repo = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using Diff = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;

QString lastGitError()
{
    const git_error* e = git_error_last();
    return e && e->message ? QString::fromUtf8(e->message) : QStringLiteral("unknown libgit2 error");
}

Tree treeOf(git_repository* repo, const QString& sha, QString& error)
{
    git_oid oid;
    if (git_oid_fromstr(&oid, sha.toLatin1().constData()) != 0) {
        error = QStringLiteral("'%1' is not a commit id").arg(sha);
        return nullptr;
    }
    git_commit* commit = nullptr;
    if (git_commit_lookup(&commit, repo, &oid) != 0) {
        error = QStringLiteral("commit %1 is not in this repository (not fetched, or rewritten)").arg(sha.left(12));
        return nullptr;
    }
    Commit owned(commit);
    git_tree* tree = nullptr;
    if (git_commit_tree(&tree, commit) != 0) {
        error = lastGitError();
        return nullptr;
    }
    return Tree(tree);
}

} // namespace

CodeComparison compareCode(const RunDetails& a, const RunDetails& b, const QString& repository)
{
    static GitLibrary library;
    CodeComparison c;
    c.commitA = a.git.commit;
    c.commitB = b.git.commit;
    c.patchA = a.git.diff;
    c.patchB = b.git.diff;
    if (c.commitA.isEmpty() || c.commitB.isEmpty()) {
        c.message = QStringLiteral("%1 recorded no git commit").arg(c.commitA.isEmpty() ? a.name : b.name);
        return c;
    }
    if (c.commitA == c.commitB) {
        c.message = QStringLiteral("both runs ran commit %1; only their uncommitted changes can differ").arg(c.commitA.left(12));
        return c;
    }
    c.repository = !repository.isEmpty() ? repository : !a.git.repoPath.isEmpty() ? a.git.repoPath : b.git.repoPath;
    if (c.repository.isEmpty() || !QDir(c.repository).exists()) {
        c.message = c.repository.isEmpty()
            ? QStringLiteral("no repository path was recorded; choose the repository on this machine")
            : QStringLiteral("the repository %1 is not on this machine; choose where it is").arg(c.repository);
        return c;
    }
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, QDir(c.repository).absolutePath().toUtf8().constData(), 0, nullptr) != 0) {
        c.message = QStringLiteral("%1 is not a git repository: %2").arg(c.repository, lastGitError());
        return c;
    }
    Repo repo(raw);
    QString error;
    Tree ta = treeOf(repo.get(), c.commitA, error);
    Tree tb = ta ? treeOf(repo.get(), c.commitB, error) : nullptr;
    if (!ta || !tb) {
        c.message = error;
        return c;
    }
    git_diff* diffRaw = nullptr;
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    if (git_diff_tree_to_tree(&diffRaw, repo.get(), ta.get(), tb.get(), &opts) != 0) {
        c.message = lastGitError();
        return c;
    }
    Diff diff(diffRaw);
    git_buf buf = GIT_BUF_INIT;
    if (git_diff_to_buf(&buf, diff.get(), GIT_DIFF_FORMAT_PATCH) == 0) {
        c.commitDiff = QString::fromUtf8(buf.ptr, qsizetype(buf.size));
        git_buf_dispose(&buf);
    }
    if (c.commitDiff.isEmpty())
        c.message = QStringLiteral("the two commits hold the same files");
    return c;
}

} // namespace runlens
