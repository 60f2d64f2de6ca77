// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_edit_writer.h"

#include "annotated_store_reader.h"
#include "store_registry.h"
#include "store_run_editor.h"

namespace runlens {

bool keepsEditsInStore(const StoreReader& store)
{
    const StoreFormat* format = findStoreFormat(store.kind());
    return format && format->capabilities.testFlag(StoreCapability::WriteAnnotations);
}

Result<bool> writeRunEdit(const StoreReader& store, const RunEdit& edit, const QString& user)
{
    if (keepsEditsInStore(store))
        return StoreRunEditor::write(store.location(), edit, user);
    if (const auto* annotated = dynamic_cast<const AnnotatedStoreReader*>(&store))
        return annotated->overlay().write(edit, user);
    return Failure{QStringLiteral("this store was opened without its annotations; open it with openStore()")};
}

Result<int> emptyTrash(const StoreReader& store, bool vacuum, const QString& user)
{
    if (!keepsEditsInStore(store))
        return Failure{QStringLiteral("runs of %1 stores are never deleted by Runlens; their trash hides them only")
                           .arg(store.kind())};
    return StoreRunEditor::emptyTrash(store.location(), vacuum, user);
}

} // namespace runlens
