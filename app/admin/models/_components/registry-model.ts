/**
 * The admin API's `registry_model` (GET/PATCH /api/v1/admin/models/{id}) as the admin pages read it.
 */
import type { FileSignature } from "@/lib/api/schemas/models";

export type { FileSignature };

export type VersionStatus = "validating" | "measuring" | "ready" | "failed";

export interface RegistryVersion {
  version: string;
  status: VersionStatus;
  status_reason: string | null;
  traffic_percent: number;
  created_at: string;
  created_by: string | null;
  size_bytes: number;
  files: { role: string; name: string; sha256: string; bytes: number }[];
  signature: FileSignature[];
  options: Record<string, unknown>;
  eval_metric: string | null;
}

export interface RegistryModel {
  id: string;
  object: "registry_model";
  task: "tensor" | "vad" | "ocr";
  name: string;
  description: string;
  license: string;
  built_in: boolean;
  enabled: boolean;
  default: boolean;
  sticky: boolean;
  created_by: string | null;
  created_at: string;
  versions: RegistryVersion[];
}

/** Per-version headline figures (this host), keyed by version; absent = not measured yet. */
export interface VersionFigures {
  p95Ms: number | null;
  accuracy: number | null;
  coldLoadMs: number | null;
  memoryMb: number | null;
}
