/** What the worker thread reads units from, one format's reader behind it. */
import type { InputInfo, InputUnit } from "./types";

export interface UnitSource {
  readonly info: InputInfo;
  /** The next unit, or null when there are no more. */
  next(): Promise<InputUnit | null>;
  close(): Promise<void>;
}
