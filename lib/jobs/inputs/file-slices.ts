/** Positioned reads of a file on disk: inputs are read in slices, never whole, so memory stays bounded. */
import fs from "node:fs/promises";

export class FileSlices {
  private constructor(
    private readonly fh: fs.FileHandle,
    readonly size: number,
  ) {}

  static async open(file: string): Promise<FileSlices> {
    const fh = await fs.open(file, "r");
    try {
      const { size } = await fh.stat();
      return new FileSlices(fh, size);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Up to `length` bytes from `position` (fewer at the end of the file). */
  async read(position: number, length: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(length, this.size - position));
    const buf = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.fh.read(buf, got, len - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === len ? buf : buf.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}
