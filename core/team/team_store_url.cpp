// SPDX-License-Identifier: GPL-3.0-or-later
#include "team_store_url.h"

#include <QUrl>
#include <QUrlQuery>

namespace runlens {

namespace {

// What libpq takes as URL query parameters and Runlens passes on; anything
// else is refused by name rather than silently ignored.
const QStringList& knownOptions()
{
    static const QStringList names = {QStringLiteral("sslmode"), QStringLiteral("sslrootcert"),
        QStringLiteral("sslcert"), QStringLiteral("sslkey"), QStringLiteral("sslcrl"), QStringLiteral("connect_timeout"),
        QStringLiteral("application_name"), QStringLiteral("target_session_attrs"), QStringLiteral("host"),
        QStringLiteral("hostaddr"), QStringLiteral("passfile"), QStringLiteral("service"), QStringLiteral("options"),
        QStringLiteral("gssencmode"), QStringLiteral("keepalives"), QStringLiteral("keepalives_idle"), QStringLiteral("user")};
    return names;
}

} // namespace

bool TeamStoreUrl::looksLikeOne(const QString& text)
{
    return text.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive)
        || text.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

Result<TeamStoreUrl> TeamStoreUrl::parse(const QString& text)
{
    if (!looksLikeOne(text)) {
        // Not quoted whole when it may hold a password ("postgressql://u:pw@..."
        // or a libpq "host=... password=..." string): its scheme only.
        const bool secret = text.contains(QLatin1Char('@')) || text.contains(QLatin1Char('='));
        const QString shown = !secret ? text
            : text.contains(QLatin1String("://")) ? text.section(QLatin1String("://"), 0, 0) + QStringLiteral("://...")
                                                  : QStringLiteral("...");
        return Failure{QStringLiteral("'%1' is not a team store URL (postgresql://user@host/database)").arg(shown)};
    }
    const QUrl url(text, QUrl::StrictMode);
    // Not QUrl's errorString(): it quotes the URL, password and all.
    if (!url.isValid())
        return Failure{QStringLiteral("the team store URL is malformed (postgresql://user@host:port/database; characters "
                                      "such as %, @, : or / in a user name or password are written %-encoded, %25 for %)")};
    TeamStoreUrl out;
    out.host = url.host();
    out.port = url.port(-1);
    out.user = url.userName(QUrl::FullyDecoded);
    out.password = url.password(QUrl::FullyDecoded);
    out.database = url.path(QUrl::FullyDecoded);
    if (out.database.startsWith(QLatin1Char('/')))
        out.database.remove(0, 1);
    if (out.database.isEmpty() || out.database.contains(QLatin1Char('/')))
        return Failure{QStringLiteral("the team store URL '%1' names no database (postgresql://user@host/database)")
                           .arg(out.display())};
    if (url.hasFragment())
        return Failure{QStringLiteral("the team store URL '%1' has a '#' part, which PostgreSQL URLs do not take").arg(out.display())};
    const QUrlQuery query(url);
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!knownOptions().contains(key))
            return Failure{QStringLiteral("the team store URL has an option '%1' Runlens does not pass on (it takes: %2)")
                               .arg(key, knownOptions().join(QStringLiteral(", ")))};
        // Qt joins options with ';': a value holding one would split into two.
        if (value.contains(QLatin1Char(';')))
            return Failure{QStringLiteral("the team store URL's option '%1' holds a ';', which cannot be passed on").arg(key)};
        if (key == QLatin1String("host") || key == QLatin1String("hostaddr")) {
            // Where it connects is shown as the URL's host: an option must
            // not send the connection (and the password) somewhere else.
            if (!out.host.isEmpty())
                return Failure{QStringLiteral("the team store URL names its host twice (in the URL and as '%1=')").arg(key)};
            if (key == QLatin1String("hostaddr"))
                return Failure{QStringLiteral("the team store URL's 'hostaddr=' is not taken; write the address as the host")};
            out.host = value; // a socket folder: postgresql:///db?host=/var/run/postgresql
        } else if (key == QLatin1String("user")) {
            // libpq's own spelling (postgresql://db.lab/vision?user=alice): the URL's user.
            if (!out.user.isEmpty() && out.user != value)
                return Failure{QStringLiteral("the team store URL names two users ('%1' and user=%2)").arg(out.user, value)};
            out.user = value;
        } else {
            out.options.append({key, value});
        }
    }
    return out;
}

QString TeamStoreUrl::display() const
{
    return written(false);
}

QString TeamStoreUrl::connectionUrl() const
{
    return written(true);
}

QString TeamStoreUrl::written(bool withPassword) const
{
    QString text = QStringLiteral("postgresql://");
    if (!user.isEmpty() || (withPassword && !password.isEmpty())) {
        text += QString::fromUtf8(QUrl::toPercentEncoding(user));
        if (withPassword && !password.isEmpty())
            text += QLatin1Char(':') + QString::fromUtf8(QUrl::toPercentEncoding(password));
        text += QLatin1Char('@');
    }
    const bool socket = host.startsWith(QLatin1Char('/'));
    if (!socket)
        text += host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    if (port >= 0)
        text += QLatin1Char(':') + QString::number(port);
    text += QLatin1Char('/') + QString::fromUtf8(QUrl::toPercentEncoding(database));
    QStringList query;
    if (socket)
        query << QStringLiteral("host=") + QString::fromUtf8(QUrl::toPercentEncoding(host, "/"));
    for (const auto& [key, value] : options)
        query << key + QLatin1Char('=') + QString::fromUtf8(QUrl::toPercentEncoding(value, "/"));
    if (!query.isEmpty())
        text += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return text;
}

QString TeamStoreUrl::shortName() const
{
    const QString where = host.isEmpty() || host.startsWith(QLatin1Char('/')) ? QStringLiteral("this machine") : host;
    return QStringLiteral("%1 on %2").arg(database, where);
}

QString TeamStoreUrl::connectOptions() const
{
    QStringList parts;
    bool timeout = false;
    for (const auto& [key, value] : options) {
        // Quoted as libpq's connection strings want, so a value holding a
        // space or a quote stays one value and adds no parameter of its own.
        QString quoted = value;
        quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('\''), QLatin1String("\\'"));
        parts << key + QLatin1String("='") + quoted + QLatin1Char('\'');
        timeout = timeout || key == QLatin1String("connect_timeout");
    }
    // A server that does not answer must not hold the app for libpq's
    // default (forever, on a dropped packet).
    if (!timeout)
        parts << QStringLiteral("connect_timeout=10");
    return parts.join(QLatin1Char(';'));
}

} // namespace runlens
