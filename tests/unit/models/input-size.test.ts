import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { audioSize, imageSize } from "@/lib/models/input-size";
import { decodeWav } from "@/lib/models/vad/wav";

const sample = (name: string) => fs.readFileSync(path.resolve(__dirname, "../../../public/samples", name));

describe("input size from the header alone", () => {
  it("an image's size equals what decoding it gives", async () => {
    const bytes = sample("sign-en.png");
    const size = await imageSize(bytes);
    const meta = await sharp(bytes).metadata();
    expect([size.width, size.height]).toEqual([meta.width, meta.height]);
    expect(size.pixels).toBe(size.width * size.height);
    expect(size.decodedBytes).toBe(size.pixels * 3);
  });

  it("an audio file's length equals what decoding it gives", () => {
    const bytes = sample("speech-en.wav");
    const size = audioSize(bytes, 600);
    const decoded = decodeWav(bytes);
    expect(size.seconds).toBeCloseTo(decoded.samples.length / decoded.sampleRate, 6);
  });

  it("refuses what the pipeline would refuse, with the same codes", async () => {
    await expect(imageSize(Buffer.alloc(0))).rejects.toMatchObject({ code: "empty_input" });
    await expect(imageSize(Buffer.from("not an image at all"))).rejects.toMatchObject({ code: "unsupported_media_type" });
    expect(() => audioSize(sample("speech-en.wav"), 0.1)).toThrow(expect.objectContaining({ code: "audio_too_long" }));
  });
});
