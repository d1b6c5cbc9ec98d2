import "server-only";
import { getSessionUser } from "@/lib/auth/session";
import { findUserWithPlan } from "@/lib/db/users";
import { bearerKey } from "@/lib/keys/material";
import { allows, parseScopes, type Permission } from "@/lib/keys/scopes";
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
      const user = await getSessionUser();
      if (user) {
        const full = await findUserWithPlan(user.id);
        if (full) return { via: "session", userId: full.id, email: full.email, role: full.role, plan: full.plan ?? NO_PLAN };
      }
    }
    throw new ApiError("missing_api_key", "Send your API key as `Authorization: Bearer pk_…`.");
  }
  if (bearer.kind === "malformed") throw new ApiError("invalid_api_key", "The Authorization header does not carry a Pareto API key (`Bearer pk_…`).");
  const v = await verifyKey(bearer.key);
  if (!v.ok) throw new ApiError(v.code, KEY_ERRORS[v.code]);
  const scopes = parseScopes(v.key.scopes);
  if (!allows(scopes, need)) throw new ApiError("forbidden", `This key lacks the "${need}" scope.`);
  const { user } = v.key;
  return {
    via: "key",
    userId: user.id,
    email: user.email,
    role: user.role,
    plan: user.plan ?? NO_PLAN,
    key: {
      id: v.key.id,
      scopes,
      requestsPerMinute: v.key.requestsPerMinute,
      concurrentRequests: v.key.concurrentRequests,
      monthlyRequests: v.key.monthlyRequests,
      monthlyComputeMs: v.key.monthlyComputeMs,
    },
  };
}

/** Model-level scope restrictions (`task:…`, `model:…`), checked once the request names its model. */
export function requireModelScope(p: Principal, target: { modelId: string; task: string }): void {
  if (p.key && !allows(p.key.scopes, "inference", target)) {
    throw new ApiError("forbidden", `This key is not allowed to use model ${target.modelId}.`, { param: "model" });
  }
}
