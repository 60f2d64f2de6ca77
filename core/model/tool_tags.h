// SPDX-License-Identifier: GPL-3.0-or-later
// Tags another tool writes for its own bookkeeping (MLflow's mlflow.user,
// mlflow.source.*, mlflow.log-model.history with a JSON blob per model...).
// They fill a comparison with rows nobody asked about, so views, reports and
// the CLI leave them out unless asked (MLflow's own UI hides them too). What
// they carry that matters (run name, parent, notes) the readers already take
// into the run itself. Runlens' own tags (runlens.*) are not hidden.
#pragma once

#include <QString>

namespace runlens {

bool isToolInternalTag(const QString& key);

} // namespace runlens
