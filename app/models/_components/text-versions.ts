import type { ModelDetail } from "@/lib/api/schemas/models";
import type { TextVersionRow } from "./text-model-section";

/**
 * A text model's rows for its card: each version's spec and this host's hold-out figures; a built-in (one version,
 * no registry versions) from its own latest accuracy and macro-F1.
 */
export function textVersionRows(m: ModelDetail): TextVersionRow[] {
  if (m.versions.length) return m.versions.map((v) => ({ version: v.version, traffic_percent: v.traffic_percent, accuracy: v.figures?.accuracy ?? null, macro_f1: v.figures?.macro_f1 ?? null, text: v.text }));
  const figure = (metric: string) => m.benchmarks.find((b) => b.metric === metric)?.value ?? null;
  return [{ version: m.version, traffic_percent: 100, accuracy: figure("accuracy"), macro_f1: figure("macro_f1"), text: m.text }];
}
