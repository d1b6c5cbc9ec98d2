/**
 * What the "train a model" form knows before asking the server (which checks all of it again): the budget's range
 * and a model id suggested from the dataset's file name. Pure, so unit tests can table it.
 */
import { MODEL_ID } from "@/lib/api/schemas/registry";

export const BUDGET = { min: 5, max: 3600, default: 120 };

/** A model id from a file name ("Spam Messages (v2).csv" → "spam-messages-v2"), or "" when none fits the pattern. */
export function idFromFileName(name: string): string {
  const slug = name
    .replace(/\.[^.]*$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  return MODEL_ID.test(slug) ? slug : "";
}

/** A budget field's value as whole seconds in range, else null. */
export function budgetSeconds(raw: string): number | null {
  if (!/^\s*\d+\s*$/.test(raw)) return null;
  const n = Number(raw);
  return n >= BUDGET.min && n <= BUDGET.max ? n : null;
}
