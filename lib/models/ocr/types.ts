/**
 * Public shapes of the OCR pipeline. Kept free of runtime code so API routes and the worker can import them
 * without pulling sharp or the dictionary loader.
 */

/** A point in original-image pixel coordinates, `[x, y]`. */
export type Point = [number, number];

/** Four corners, clockwise from top-left: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

export interface OcrOptions {
  /** Longest side of the detection input (PaddleOCR `det_limit_side_len`, limit_type "max"). */
  detLimitSide: number;
  /** Run the 0/180° angle classifier on every crop before recognition. */
  useAngleCls: boolean;
  /** Minimum mean probability inside a detected box (PaddleOCR `det_db_box_thresh`). */
  boxThresh: number;
  /** Binarisation threshold of the probability map (PaddleOCR `det_db_thresh`). */
  thresh: number;
  /** How far boxes are grown back after detection (PaddleOCR `det_db_unclip_ratio`). */
  unclipRatio: number;
  /** Refuse images with more pixels than this, before decoding them. Default 40 megapixels. */
  maxPixels?: number;
  /** Drop recognised lines whose confidence is below this (PaddleOCR `drop_score`). Default 0.5. */
  minScore?: number;
}

export interface OcrLine {
  text: string;
  /** Mean of the per-character max probabilities, in [0, 1]. */
  confidence: number;
  /** Integer pixel corners in the (EXIF-oriented) original image, clockwise from top-left. */
  box: [number, number][];
}

export interface OcrTimings {
  decodeMs: number;
  /** Detection: resize + normalise, the det model, DB post-processing and cropping the boxes. */
  detMs: number;
  /** Angle classifier (0 when disabled). */
  clsMs: number;
  /** Recognition: resize + normalise, the rec model and CTC decoding. */
  recMs: number;
  totalMs: number;
}

export interface OcrResult {
  /** Size of the image after EXIF orientation: the frame `box` coordinates refer to. */
  width: number;
  height: number;
  /** In reading order: top to bottom, then left to right within a row. */
  lines: OcrLine[];
  timings: OcrTimings;
}

/** Decoded 8-bit RGB pixels, row-major, interleaved. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}
