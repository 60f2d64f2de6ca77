// SPDX-License-Identifier: GPL-3.0-or-later
#include "query_lexer.h"

namespace runlens::query {

namespace {

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == u'_' || c == u'`';
}
bool isIdentChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'-' || c == u'/' || c == u':' || c == u'@'
        || c == u'`';
}

} // namespace

LexResult lex(const QString& s)
{
    LexResult out;
    int i = 0;
    const int n = static_cast<int>(s.size());
    auto fail = [&](int pos, int len, QString msg) {
        out.error = QueryError{pos, len, std::move(msg)};
        return out;
    };
    while (i < n) {
        const QChar c = s[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        const int start = i;
        if (c == u'(' || c == u')' || c == u',') {
            out.tokens.push_back({c == u'(' ? Tok::LParen : c == u')' ? Tok::RParen : Tok::Comma, QString(c), 0, i, 1});
            ++i;
        } else if (c == u'\'' || c == u'"') {
            QString text;
            ++i;
            bool closed = false;
            while (i < n) {
                if (s[i] == u'\\' && i + 1 < n) {
                    text += s[i + 1];
                    i += 2;
                } else if (s[i] == c) {
                    closed = true;
                    ++i;
                    break;
                } else {
                    text += s[i++];
                }
            }
            if (!closed)
                return fail(start, n - start, QStringLiteral("this string has no closing %1").arg(c));
            out.tokens.push_back({Tok::String, text, 0, start, i - start});
        } else if (c.isDigit()
            || ((c == u'-' || c == u'+' || c == u'.') && i + 1 < n && (s[i + 1].isDigit() || s[i + 1] == u'.'))) {
            ++i;
            while (i < n && (s[i].isDigit() || s[i] == u'.'))
                ++i;
            if (i < n && (s[i] == u'e' || s[i] == u'E')) {
                int j = i + 1;
                if (j < n && (s[j] == u'-' || s[j] == u'+'))
                    ++j;
                if (j < n && s[j].isDigit()) {
                    i = j;
                    while (i < n && s[i].isDigit())
                        ++i;
                }
            }
            bool ok = false;
            const double v = s.mid(start, i - start).toDouble(&ok);
            if (!ok || (i < n && isIdentChar(s[i]) && s[i] != u'.'))
                return fail(start, i - start + 1,
                    QStringLiteral("'%1' is not a number; quote text values").arg(s.mid(start, i - start + 1)));
            out.tokens.push_back({Tok::Number, s.mid(start, i - start), v, start, i - start});
        } else if (isIdentStart(c)) {
            QString text;
            while (i < n && isIdentChar(s[i])) {
                if (s[i] == u'`') {
                    const int close = static_cast<int>(s.indexOf(u'`', i + 1));
                    if (close < 0)
                        return fail(i, n - i, QStringLiteral("this `quoted key` has no closing backtick"));
                    text += s.mid(i + 1, close - i - 1);
                    i = close + 1;
                } else {
                    text += s[i++];
                }
            }
            out.tokens.push_back({Tok::Ident, text, 0, start, i - start});
        } else {
            // + - * / are arithmetic (rules: `baseline.val_auc + 0.005`) when they stand alone:
            // inside a key ("train/loss", "lr-decay") they are part of it, and
            // before a digit they are a number's sign.
            static const QStringList ops = {QStringLiteral("<="), QStringLiteral(">="), QStringLiteral("!="),
                QStringLiteral("=="), QStringLiteral("!~"), QStringLiteral("<>"), QStringLiteral("="),
                QStringLiteral("<"), QStringLiteral(">"), QStringLiteral("~"), QStringLiteral("+"), QStringLiteral("-"),
                QStringLiteral("*"), QStringLiteral("/")};
            bool matched = false;
            for (const auto& op : ops) {
                if (s.mid(i, op.size()) == op) {
                    QString norm = op == QLatin1String("==") ? QStringLiteral("=")
                        : op == QLatin1String("<>")          ? QStringLiteral("!=")
                                                             : op;
                    out.tokens.push_back({Tok::Op, norm, 0, i, static_cast<int>(op.size())});
                    i += static_cast<int>(op.size());
                    matched = true;
                    break;
                }
            }
            if (!matched)
                return fail(i, 1, QStringLiteral("unexpected character '%1'").arg(c));
        }
    }
    out.tokens.push_back({Tok::End, {}, 0, n, 0});
    return out;
}

} // namespace runlens::query
