import "server-only";
import os from "node:os";
import { env } from "@/lib/config/env";

/**
 * Absolute paths in text that leaves the server (model failure reasons, readiness details, 5xx messages) tell a
 * caller the host's layout: install folder, user name, temporary folders. Known roots are cut to relative paths
 * (`node_modules/…/silero_vad_v6.onnx` still says which file is missing); any other absolute path keeps only its
 * last segment.
 */
function roots(): string[] {
  const list = [env.root(), process.cwd(), env.dataDir(), os.tmpdir(), os.homedir()].filter((r) => r && r !== "/" && r.length > 1);
  return [...new Set(list)].sort((a, b) => b.length - a.length);
}

// A POSIX path of two or more segments, or a Windows drive path, not part of a URL (`http://h/a/b`) or a word.
const ABSOLUTE = /(?<![\w.~:/\\-])(?:\/[^\s/'"`,;()<>[\]{}]+(?:\/[^\s/'"`,;()<>[\]{}]*)+|[A-Za-z]:\\[^\s'"`,;()<>]+)/g;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `text` with the host's known folders (install, working, data, temporary, home) made relative. */
export function redactRoots(text: string): string {
  let out = text;
  for (const r of roots()) out = out.replace(new RegExp(`${escape(r.replace(/[/\\]+$/, ""))}[/\\\\]`, "g"), "");
  return out;
}

/** `text` with every absolute path removed: known roots made relative, other paths cut to their last segment. */
export function redactPaths(text: string): string {
  return redactRoots(text).replace(ABSOLUTE, (p) => `…/${p.split(/[/\\]/).filter(Boolean).pop() ?? ""}`);
}

/** A nullable reason, redacted. */
export function redactReason(reason: string | null | undefined): string | null {
  return reason ? redactPaths(reason) : null;
}
