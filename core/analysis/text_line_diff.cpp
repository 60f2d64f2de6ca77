// SPDX-License-Identifier: GPL-3.0-or-later
#include "text_line_diff.h"

#include <git2.h>

namespace runlens {

namespace {

struct Library {
    Library() { git_libgit2_init(); }
    ~Library() { git_libgit2_shutdown(); }
};

int lineCount(const QByteArray& text)
{
    if (text.isEmpty())
        return 0;
    return int(text.count('\n')) + (text.endsWith('\n') ? 0 : 1);
}

} // namespace

TextLineDiff diffTextLines(const QByteArray& a, const QByteArray& b)
{
    static const Library library;
    TextLineDiff d;
    d.removedFromA.assign(size_t(lineCount(a)), false);
    d.addedInB.assign(size_t(lineCount(b)), false);
    if (a == b)
        return d;
    d.identical = false;
    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION); // not the partial GIT_DIFF_OPTIONS_INIT clang warns of
    options.context_lines = 0;
    // Text even when a NUL byte makes git think "binary": the user asked to see it.
    options.flags |= GIT_DIFF_FORCE_TEXT;
    const auto onLine = [](const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line, void* payload) {
        auto* out = static_cast<TextLineDiff*>(payload);
        if (line->origin == GIT_DIFF_LINE_DELETION && line->old_lineno > 0
            && size_t(line->old_lineno) <= out->removedFromA.size())
            out->removedFromA[size_t(line->old_lineno - 1)] = true;
        else if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0
            && size_t(line->new_lineno) <= out->addedInB.size())
            out->addedInB[size_t(line->new_lineno - 1)] = true;
        return 0;
    };
    git_diff_buffers(a.constData(), size_t(a.size()), nullptr, b.constData(), size_t(b.size()), nullptr, &options,
        nullptr, nullptr, nullptr, onLine, &d);
    return d;
}

} // namespace runlens
