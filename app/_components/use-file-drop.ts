"use client";
import { useState, type DragEvent } from "react";

/** A drop target for one file: the handlers to spread on it and whether a file is being dragged over it. */
export function useFileDrop(onFile: (f: File) => void) {
  const [drag, setDrag] = useState(false);
  const handlers = {
    onDragOver: (e: DragEvent) => {
      e.preventDefault();
      setDrag(true);
    },
    onDragLeave: () => setDrag(false),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setDrag(false);
      const f = e.dataTransfer.files[0];
      if (f) onFile(f);
    },
  };
  return { drag, handlers };
}
