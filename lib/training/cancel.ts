/** Thrown when the caller's shouldStop hook asks the trainer to stop (polled between mini-batches). */
export class TrainingCancelled extends Error {
  readonly code = "cancelled" as const;
  constructor() {
    super("Training was cancelled.");
    this.name = "TrainingCancelled";
  }
}
