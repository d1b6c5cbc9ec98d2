/** Opens the reader for a file's format (sniffed from its first bytes), inside the worker thread. */
import { AudioChunks, audioInfo } from "./audio/chunks";
import { openFlac, openMp3, openOgg } from "./audio/codecs";
import { WavSource } from "./audio/wav";
import { inputError } from "./errors";
import { FileSlices } from "./file-slices";
import { ImagePages } from "./image";
import { PdfPages } from "./pdf";
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
    if (!format) {
      throw inputError("unsupported_media_type", "the file is not a supported document (PDF, TIFF, PNG, JPEG, WebP) or recording (WAV, FLAC, MP3, Ogg/Opus, M4A)");
    }
    switch (format) {
      case "pdf":
        return await PdfPages.open(file, opts);
      case "tiff":
      case "png":
      case "jpeg":
      case "webp":
        await file.close();
        return await ImagePages.open(path, format, opts);
      case "wav": {
        const pcm = await WavSource.open(file);
        return new AudioChunks(audioInfo(format, pcm, pcm.frames), pcm, opts.from);
      }
      case "flac":
      case "mp3":
      case "ogg": {
        const pcm = await (format === "flac" ? openFlac : format === "mp3" ? openMp3 : openOgg)(file);
        return new AudioChunks(audioInfo(format, pcm), pcm, opts.from);
      }
      default:
        throw inputError("unsupported_media_type", `${format.toUpperCase()} recordings are not supported yet`);
    }
  } catch (e) {
    await file.close();
    throw e;
  }
}
