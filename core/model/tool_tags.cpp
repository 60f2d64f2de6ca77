// SPDX-License-Identifier: GPL-3.0-or-later
#include "tool_tags.h"

#include <array>

namespace runlens {

bool isToolInternalTag(const QString& key)
{
    // Prefixes the tools reserve for themselves (MLflow's docs: "mlflow." is
    // reserved; Azure ML, SageMaker and Databricks write theirs beside it;
    // W&B's internals start with an underscore).
    static const std::array<QLatin1String, 5> prefixes = {QLatin1String("mlflow."), QLatin1String("azureml."),
        QLatin1String("sagemaker."), QLatin1String("databricks."), QLatin1String("_wandb")};
    for (const auto& p : prefixes)
        if (key.startsWith(p))
            return true;
    return false;
}

} // namespace runlens
