import type { Widen } from "../en";

/** A feature's strings in both languages; the type makes the Chinese side match the English keys exactly. */
export function defineMessages<const T>(m: { en: T; zh: Widen<T> }): { en: Widen<T>; zh: Widen<T> } {
  return m as { en: Widen<T>; zh: Widen<T> };
}
