import "server-only";
import { getSessionUser } from "@/lib/auth/session";
import { bearerKey } from "@/lib/keys/material";
import { cachedPlan } from "@/lib/keys/principal-store";
import { allows, type Permission } from "@/lib/keys/scopes";
import { verifyKey } from "@/lib/keys/service";
import type { Principal } from "@/lib/metering/limits";
import { ApiError } from "./errors";

const KEY_ERRORS = {
  invalid_api_key: "The API key is not valid.",
  revoked_api_key: "The API key has been revoked.",
  expired_api_key: "The API key has expired.",
  account_disabled: "The account that owns this API key is disabled.",
} as const;

const NO_PLAN = { name: "none", requestsPerMinute: 0, concurrentRequests: 0, monthlyRequests: 0, monthlyComputeMs: 0 };

/**
 * The straight line of key verification: missing → malformed → unknown → revoked → expired → owner disabled →
 * permission scope. Signed-in browser sessions (the playground) are accepted where `allowSession` is set.
 */
export async function authenticate(req: Request, need: Permission, allowSession: boolean): Promise<Principal> {
  const header = req.headers.get("authorization");
  const bearer = bearerKey(header);
  if (bearer.kind === "missing") {
    if (allowSession) {
      // The user row is read fresh (session version, disabled, role, plan assignment); only the plan's limits are
      // cached, and invalidated by plan edits like the key cache.
      const user = await getSessionUser();
      if (user) {
        const plan = user.plan ? await cachedPlan(user.plan.id) : null;
        return { via: "session", userId: user.id, email: user.email, role: user.role, plan: plan ?? NO_PLAN };
      }
    }
    throw new ApiError("missing_api_key", "Send your API key as `Authorization: Bearer pk_…`.");
  }
  if (bearer.kind === "malformed") throw new ApiError("invalid_api_key", "The Authorization header does not carry a Pareto API key (`Bearer pk_…`).");
  const v = await verifyKey(bearer.key);
  if (!v.ok) throw new ApiError(v.code, KEY_ERRORS[v.code]);
  const { user, scopes, limits } = v.key;
  if (!allows(scopes, need)) throw new ApiError("forbidden", `This key lacks the "${need}" scope.`);
  return { via: "key", userId: user.id, email: user.email, role: user.role, plan: v.key.plan ?? NO_PLAN, key: { id: v.key.id, scopes, ...limits } };
}

/** Model-level scope restrictions (`task:…`, `model:…`), checked once the request names its model. */
export function requireModelScope(p: Principal, target: { modelId: string; task: string }): void {
  if (p.key && !allows(p.key.scopes, "inference", target)) {
    throw new ApiError("forbidden", `This key is not allowed to use model ${target.modelId}.`, { param: "model" });
  }
}
