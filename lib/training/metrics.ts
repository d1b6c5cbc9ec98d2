/** Hold-out measures of a classifier: accuracy, macro-averaged F1 (each label counts the same) and mean log loss. */

export interface Scores {
  accuracy: number;
  macroF1: number;
  loss: number;
}

/** `probs` is [rows.length, C] row-major, in the order of `rows`. */
export function score(probs: Float64Array, rows: Int32Array, y: Int32Array, classes: number): Scores {
  const tp = new Float64Array(classes);
  const predicted = new Float64Array(classes);
  const actual = new Float64Array(classes);
  let correct = 0;
  let loss = 0;
  rows.forEach((r, i) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    const truth = y[r];
    predicted[best]++;
    actual[truth]++;
    if (best === truth) {
      correct++;
      tp[truth]++;
    }
    loss -= Math.log(Math.max(probs[i * classes + truth], 1e-12));
  });
  let f1 = 0;
  let present = 0;
  for (let c = 0; c < classes; c++) {
    if (actual[c] === 0 && predicted[c] === 0) continue; // a label absent from this part says nothing either way
    present++;
    f1 += tp[c] === 0 ? 0 : (2 * tp[c]) / (predicted[c] + actual[c]);
  }
  const n = Math.max(1, rows.length);
  return { accuracy: correct / n, macroF1: present ? f1 / present : 0, loss: loss / n };
}
