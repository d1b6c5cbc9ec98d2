"use client";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { useFileDrop } from "../../_components/use-file-drop";
import { startRecording } from "./wav";

export interface PickedInput {
  blob: Blob;
  name: string;
  url: string;
}

export interface SampleRef {
  id: string;
  file: string;
  title: string;
}

function size(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Drop, pick, paste (images), record (audio) or choose a sample. */
export function InputPicker({ kind, samples, value, onChange, initialSample }: { kind: "image" | "audio"; samples: SampleRef[]; value: PickedInput | null; onChange: (v: PickedInput | null) => void; initialSample?: string }) {
  const { t } = useI18n();
  const file = useRef<HTMLInputElement>(null);
  const [rec, setRec] = useState<{ stop: () => Promise<Blob>; since: number } | null>(null);
  const [recS, setRecS] = useState(0);
  const [micError, setMicError] = useState<string | null>(null);

  const choose = (blob: Blob, name: string) => onChange({ blob, name, url: URL.createObjectURL(blob) });
  const drop = useFileDrop((f) => choose(f, f.name));

  async function loadSample(s: SampleRef) {
    const r = await fetch(`/samples/${s.file}`);
    choose(await r.blob(), s.file);
  }

  useEffect(() => {
    const s = samples.find((x) => x.id === initialSample);
    if (s && !value) void loadSample(s);
    // Only on first render: the sample named in the URL.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (kind !== "image") return;
    const onPaste = (e: ClipboardEvent) => {
      const f = [...(e.clipboardData?.files ?? [])].find((x) => x.type.startsWith("image/"));
      if (f) choose(f, f.name || "pasted.png");
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind]);

  useEffect(() => {
    if (!rec) return;
    const id = setInterval(() => setRecS(Math.floor((Date.now() - rec.since) / 1000)), 250);
    return () => clearInterval(id);
  }, [rec]);

  async function toggleRecording() {
    setMicError(null);
    if (rec) {
      const blob = await rec.stop();
      setRec(null);
      choose(blob, "recording.wav");
      return;
    }
    try {
      setRec({ ...(await startRecording()), since: Date.now() });
    } catch (e) {
      setMicError(t("playground.micDenied", { reason: e instanceof Error ? e.message : String(e) }));
    }
  }

  return (
    <div className="space-y-3">
      <div
        {...drop.handlers}
        className={`rounded-lg border-2 border-dashed p-6 text-center text-sm ${drop.drag ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-white"}`}
        data-testid="dropzone"
      >
        {kind === "image" ? t("playground.dropImage") : t("playground.dropAudio")}{" "}
        <button type="button" onClick={() => file.current?.click()} className="font-medium text-brand-600 underline">
          {t("playground.pick")}
        </button>
        <input
          ref={file}
          type="file"
          className="sr-only"
          // PDFs, TIFFs and other recordings too: the playground offers to run them as a job.
          accept={kind === "image" ? "image/png,image/jpeg,image/webp,image/tiff,application/pdf,.pdf,.tif,.tiff" : "audio/wav,audio/x-wav,.wav,audio/*,.flac,.mp3,.ogg,.opus,.m4a"}
          data-testid="file-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) choose(f, f.name);
          }}
        />
        {kind === "audio" && (
          <div className="mt-3">
            <button type="button" onClick={() => void toggleRecording()} className={`rounded-md px-3 py-1.5 text-sm font-medium ${rec ? "bg-red-600 text-white" : "bg-slate-800 text-white"}`} data-testid="record">
              {rec ? `■ ${t("playground.stopRecording")} · ${t("playground.recording", { s: recS })}` : `● ${t("playground.record")}`}
            </button>
            {micError && <p role="alert" className="mt-2 text-red-600">{micError}</p>}
          </div>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600">{t("playground.orSample")}</span>
        {samples.map((s) => (
          <button key={s.id} type="button" onClick={() => void loadSample(s)} data-testid={`sample-${s.id}`} className="rounded-full bg-white px-3 py-1 ring-1 ring-slate-300 hover:bg-slate-50">
            {s.title}
          </button>
        ))}
      </div>
      {value && (
        <p className="text-sm text-slate-600" data-testid="selected-input">
          {t("playground.selected", { name: value.name, size: size(value.blob.size) })}
        </p>
      )}
    </div>
  );
}
