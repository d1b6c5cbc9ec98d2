"use client";
import { useCallback, useRef, useState } from "react";

/**
 * The width of an element, kept up to date: the run page's charts draw at their real pixel size, so their text
 * stays 11–12 px on a phone and on a wide screen alike (a fixed viewBox scaled to fit would shrink or blow it up).
 * A callback ref, so an element that replaces another (empty state → chart) is the one observed.
 */
export function useWidth(fallback: number) {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    const measure = () => setWidth(Math.max(280, Math.round(el.clientWidth)));
    measure();
    observer.current = new ResizeObserver(measure);
    observer.current.observe(el);
  }, []);
  return [ref, width] as const;
}
