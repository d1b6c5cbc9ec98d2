/**
 * Opens the reader for a file's format (sniffed from its first bytes), inside the worker thread. Each format's
 * reader is imported when a file needs it: pdf.js with its canvas, sharp and the WebAssembly decoders together cost
 * a reader thread tens of MB it should not carry for a WAV.
 */
import { AudioChunks, audioInfo } from "./audio/chunks";
import { inputError } from "./errors";
import { FileSlices } from "./file-slices";
import { sniffFormat } from "./sniff";
import type { UnitSource } from "./source";

export interface SourceOptions {
  root: string;
  from: number;
  dpi: number;
  maxPages: number;
}

export async function openSource(path: string, opts: SourceOptions): Promise<UnitSource> {
  const file = await FileSlices.open(path);
  try {
    if (file.size === 0) throw inputError("empty_input", "the file is empty");
    const format = sniffFormat(await file.read(0, 64));
    switch (format) {
      case "pdf": {
        const { PdfPages } = await import("./pdf");
        return await PdfPages.open(file, opts);
      }
      case "tiff":
      case "png":
      case "jpeg":
      case "webp": {
        await file.close();
        const { ImagePages } = await import("./image");
        return await ImagePages.open(path, format, opts);
      }
      case "wav": {
        const { WavSource } = await import("./audio/wav");
        const pcm = await WavSource.open(file);
        return new AudioChunks(audioInfo(format, pcm, pcm.frames), pcm, opts.from);
      }
      case "flac":
      case "mp3":
      case "ogg": {
        const codecs = await import("./audio/codecs");
        const pcm = await (format === "flac" ? codecs.openFlac : format === "mp3" ? codecs.openMp3 : codecs.openOgg)(file);
        return new AudioChunks(audioInfo(format, pcm), pcm, opts.from);
      }
      case "m4a": {
        const { M4aSource } = await import("./audio/m4a");
        const pcm = await M4aSource.open(file);
        return new AudioChunks(audioInfo(format, pcm), pcm, opts.from);
      }
      case null:
        throw inputError("unsupported_media_type", "the file is not a supported document (PDF, TIFF, PNG, JPEG, WebP) or recording (WAV, FLAC, MP3, Ogg/Opus, M4A)");
    }
  } catch (e) {
    await file.close();
    throw e;
  }
}
