/** KServe v2 request fixtures. */

/** A silent 32 ms Silero v5 frame (64 samples of context + 512) with zero state, at 16 kHz. */
export function sileroFrame() {
  return {
    inputs: [
      { name: "input", shape: [1, 576], datatype: "FP32", data: new Array<number>(576).fill(0) },
      { name: "state", shape: [2, 1, 128], datatype: "FP32", data: new Array<number>(256).fill(0) },
      { name: "sr", shape: [] as number[], datatype: "INT64", data: [16000] },
    ],
  };
}

export type KserveTensor = ReturnType<typeof sileroFrame>["inputs"][number];
