// SPDX-License-Identifier: GPL-3.0-or-later
#include "natural_compare.h"

namespace runlens {

int naturalCompare(const QString& a, const QString& b)
{
    qsizetype i = 0, j = 0;
    const qsizetype n = a.size(), m = b.size();
    while (i < n && j < m) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype si = i, sj = j;
            while (si < n && a[si] == u'0')
                ++si;
            while (sj < m && b[sj] == u'0')
                ++sj;
            qsizetype ei = si, ej = sj;
            while (ei < n && a[ei].isDigit())
                ++ei;
            while (ej < m && b[ej].isDigit())
                ++ej;
            if (ei - si != ej - sj)
                return ei - si < ej - sj ? -1 : 1; // more significant digits: larger
            for (qsizetype k = 0; k < ei - si; ++k)
                if (a[si + k] != b[sj + k])
                    return a[si + k] < b[sj + k] ? -1 : 1;
            i = ei;
            j = ej;
            continue;
        }
        const QChar ca = a[i].toCaseFolded(), cb = b[j].toCaseFolded();
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < n || j < m)
        return i < n ? 1 : -1;
    return a.compare(b);
}

} // namespace runlens
