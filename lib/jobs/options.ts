/**
 * A job's options as the API took them (snake_case, stored with the job) → the pipeline's (camelCase), the same
 * mapping the synchronous routes make (lib/api/inference.ts). `dpi` is the jobs' own: how PDF pages are rendered.
 */
export interface JobOcrOptions {
  det_limit_side?: number;
  use_angle_cls?: boolean;
  box_thresh?: number;
  thresh?: number;
  unclip_ratio?: number;
  min_score?: number;
  dpi?: number;
}

export interface JobVadOptions {
  threshold?: number;
  min_speech_ms?: number;
  min_silence_ms?: number;
  speech_pad_ms?: number;
}

export const DEFAULT_DPI = 200;

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function ocrPipelineOptions(o: JobOcrOptions): Record<string, unknown> {
  return defined({
    detLimitSide: o.det_limit_side,
    useAngleCls: o.use_angle_cls,
    boxThresh: o.box_thresh,
    thresh: o.thresh,
    unclipRatio: o.unclip_ratio,
    minScore: o.min_score,
  });
}

export function vadPipelineOptions(o: JobVadOptions): Record<string, unknown> {
  return defined({ threshold: o.threshold, minSpeechMs: o.min_speech_ms, minSilenceMs: o.min_silence_ms, speechPadMs: o.speech_pad_ms });
}
