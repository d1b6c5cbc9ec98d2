/** What an administrator can do to a model from the admin page or API (lib/admin/models.ts carries them out). */
export const MODEL_ACTIONS = ["load", "unload", "reload", "enable", "disable"] as const;
export type ModelAction = (typeof MODEL_ACTIONS)[number];
