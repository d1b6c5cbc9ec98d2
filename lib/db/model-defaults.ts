import "server-only";
import { db } from "./client";
import { invalidateModelRows } from "./models";

/** Makes one model its task's default, and no other (one transaction, so a task never has two or none). */
export async function setTaskDefault(task: string, modelId: string): Promise<void> {
  await db().$transaction([
    db().model.updateMany({ where: { task, isDefault: true, NOT: { id: modelId } }, data: { isDefault: false } }),
    db().model.update({ where: { id: modelId }, data: { isDefault: true } }),
  ]);
  invalidateModelRows();
}
