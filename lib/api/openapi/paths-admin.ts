import { userOutput } from "@/lib/api/schemas/auth";
import { adminUserQuery, planOutput, planPatch, userPatch } from "../schemas/admin";
import { adminModelOutput, MODEL_ACTIONS } from "../schemas/admin-models";
import { adminUsageOutput, adminUsageQuery } from "../schemas/admin-usage";
import { auditListOutput, auditQuery } from "../schemas/audit";
import { createdInviteOutput, deletedInviteOutput, inviteInput, inviteOutput } from "../schemas/invites";
import { usageQuery } from "../schemas/usage";
import { inputOf, listOf, outputOf, ref } from "./components";
import { jsonBody, operation, pathParam, queryParams } from "./operation";
import type { JsonSchema, PathItem } from "./types";

export const ADMIN_SCHEMAS: Record<string, JsonSchema> = {
  Plan: outputOf(planOutput),
  PlanList: listOf("Plan"),
  PlanPatch: inputOf(planPatch),
  User: outputOf(userOutput),
  UserList: listOf("User"),
  UserPatch: inputOf(userPatch),
  AdminModel: outputOf(adminModelOutput),
  AdminModelList: listOf("AdminModel"),
  AdminUsage: outputOf(adminUsageOutput),
  AuditList: outputOf(auditListOutput),
  Invite: outputOf(inviteOutput),
  InviteList: listOf("Invite"),
  InviteCreated: outputOf(createdInviteOutput),
  InviteDeleted: outputOf(deletedInviteOutput),
  CreateInviteRequest: inputOf(inviteInput),
};

const tag = "Administration";
const PATCH_ERRORS = [400, 404, 413, 415, 422];

/** Routes for administrators (a signed-in session with the ADMIN role) and the usage export. */
export const ADMIN_PATHS: Record<string, PathItem> = {
  "/api/v1/usage/export.csv": {
    get: operation("get", {
      id: "exportUsage",
      tag: "Usage",
      summary: "Your requests in the range as CSV",
      description: "Needs the `usage:read` scope; a key restricted to some models exports only its own requests.",
      auth: "keyOrSession",
      permission: "usage:read",
      parameters: queryParams(usageQuery).filter((p) => p.name !== "limit"),
      ok: { status: 200, description: "One row per request, streamed.", schema: { type: "string" }, contentType: "text/csv" },
      errors: [404, 422],
      metered: "rate",
    }),
  },
  "/api/v1/admin/plans": {
    get: operation("get", { id: "adminListPlans", tag, summary: "Plans and their limits", auth: "admin", ok: { status: 200, description: "Every plan.", schema: ref("PlanList") } }),
  },
  "/api/v1/admin/plans/{id}": {
    patch: operation("patch", {
      id: "adminUpdatePlan",
      tag,
      summary: "Change a plan's limits (applies to the next request)",
      auth: "admin",
      parameters: [pathParam("id", "Plan id.")],
      body: jsonBody(ref("PlanPatch")),
      ok: { status: 200, description: "The plan.", schema: ref("Plan") },
      errors: PATCH_ERRORS,
    }),
  },
  "/api/v1/admin/users": {
    get: operation("get", {
      id: "adminListUsers",
      tag,
      summary: "List and search users",
      auth: "admin",
      parameters: queryParams(adminUserQuery),
      ok: { status: 200, description: "Matching users.", schema: ref("UserList") },
      errors: [422],
    }),
  },
  "/api/v1/admin/users/{id}": {
    patch: operation("patch", {
      id: "adminUpdateUser",
      tag,
      summary: "Change a user's role, plan or disabled flag (a disabled user's keys stop at once)",
      auth: "admin",
      parameters: [pathParam("id", "User id.")],
      body: jsonBody(ref("UserPatch")),
      ok: { status: 200, description: "The user.", schema: ref("User") },
      errors: PATCH_ERRORS,
    }),
  },
  "/api/v1/admin/invites": {
    get: operation("get", { id: "adminListInvites", tag, summary: "Invite links not used yet (never their tokens)", auth: "admin", ok: { status: 200, description: "Unused invites, newest first.", schema: ref("InviteList") } }),
    post: operation("post", {
      id: "adminCreateInvite",
      tag,
      summary: "Create an invite link (PARETO_SIGNUP=invite): one sign-up, optionally for one address",
      auth: "admin",
      body: jsonBody(ref("CreateInviteRequest")),
      ok: { status: 201, description: "The invite with its token and link (shown once).", schema: ref("InviteCreated") },
      errors: [400, 413, 415, 422],
    }),
  },
  "/api/v1/admin/invites/{id}": {
    delete: operation("delete", {
      id: "adminRevokeInvite",
      tag,
      summary: "Revoke an unused invite link",
      auth: "admin",
      parameters: [pathParam("id", "Invite id.")],
      ok: { status: 200, description: "Revoked.", schema: ref("InviteDeleted") },
      errors: [404],
    }),
  },
  "/api/v1/admin/models": {
    get: operation("get", {
      id: "adminListModels",
      tag,
      summary: "Every model with enabled flag, load state, queue depth, recent p95 and memory",
      auth: "admin",
      ok: { status: 200, description: "Every model.", schema: ref("AdminModelList") },
    }),
  },
  "/api/v1/admin/models/{id}/{action}": {
    post: operation("post", {
      id: "adminModelAction",
      tag,
      summary: "Load, unload, reload, enable or disable a model (audit-logged)",
      auth: "admin",
      parameters: [pathParam("id", "Model id."), pathParam("action", "What to do.", { type: "string", enum: [...MODEL_ACTIONS] })],
      ok: { status: 200, description: "The model after the action.", schema: ref("AdminModel") },
      errors: [404, 503],
    }),
  },
  "/api/v1/admin/usage": {
    get: operation("get", {
      id: "adminUsage",
      tag,
      summary: "Usage across all users",
      auth: "admin",
      parameters: queryParams(adminUsageQuery),
      ok: { status: 200, description: "The report.", schema: ref("AdminUsage") },
      errors: [422],
    }),
  },
  "/api/v1/admin/audit": {
    get: operation("get", {
      id: "adminAudit",
      tag,
      summary: "The audit log, newest first",
      auth: "admin",
      parameters: queryParams(auditQuery),
      ok: { status: 200, description: "One page of entries.", schema: ref("AuditList") },
      errors: [422],
    }),
  },
};
