import { weightPath, type WeightKey } from "@/lib/models/weights";
import { SessionContext } from "@/lib/runtime/session-context";

/** Real ONNX Runtime sessions in the test process: for pipeline tests that don't need the worker pool. */
export function directContext(intraOpThreads = 1): SessionContext {
  return new SessionContext({ intraOpThreads, resolvePath: (k) => weightPath(k as WeightKey) });
}
