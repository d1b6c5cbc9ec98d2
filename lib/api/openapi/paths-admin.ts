import { userOutput } from "@/lib/api/schemas/auth";
import { adminUserQuery, planOutput, planPatch, userPatch } from "../schemas/admin";
import { adminModelOutput, MODEL_ACTIONS } from "../schemas/admin-models";
import { adminUsageOutput, adminUsageQuery } from "../schemas/admin-usage";
import { auditListOutput, auditQuery } from "../schemas/audit";
import { deletedModelOutput, modelPatch, registryModelOutput, uploadFields, versionFields } from "../schemas/registry";
import { createdInviteOutput, deletedInviteOutput, inviteInput, inviteOutput } from "../schemas/invites";
import { usageQuery } from "../schemas/usage";
import { inputOf, listOf, outputOf, ref } from "./components";
import { jsonBody, operation, pathParam, queryParams } from "./operation";
import type { JsonSchema, PathItem, RequestBody } from "./types";
import type { z } from "zod";

export const ADMIN_SCHEMAS: Record<string, JsonSchema> = {
  Plan: outputOf(planOutput),
  PlanList: listOf("Plan"),
  PlanPatch: inputOf(planPatch),
  User: outputOf(userOutput),
  UserList: listOf("User"),
  UserPatch: inputOf(userPatch),
  AdminModel: outputOf(adminModelOutput),
  AdminModelList: listOf("AdminModel"),
  RegistryModel: outputOf(registryModelOutput),
  RegistryModelDeleted: outputOf(deletedModelOutput),
  RegistryModelPatch: inputOf(modelPatch),
  AdminUsage: outputOf(adminUsageOutput),
  AuditList: outputOf(auditListOutput),
  Invite: outputOf(inviteOutput),
  InviteList: listOf("Invite"),
  InviteCreated: outputOf(createdInviteOutput),
  InviteDeleted: outputOf(deletedInviteOutput),
  CreateInviteRequest: inputOf(inviteInput),
};

const tag = "Administration";

const file = (what: string): JsonSchema => ({ type: "string", contentMediaType: "application/octet-stream", description: what });
const FILE_PARTS: Record<string, JsonSchema> = {
  file: file("The ONNX file (tensor and vad models): self-contained (no external data), at most PARETO_MAX_MODEL_MB."),
  eval: file("Tensor models, optional: labelled JSONL, one {\"inputs\": {<input name>: nested numbers}, \"label\": …} per line, scored with eval_metric."),
  det: file("OCR: the PP-OCR text detector (ONNX)."),
  rec: file("OCR: the PP-OCR recogniser (ONNX); its output width must be the dictionary's lines + 2."),
  cls: file("OCR, optional: the 0°/180° angle classifier (ONNX)."),
  dict: file("OCR: the character dictionary (UTF-8, one symbol per line)."),
};

/** A model upload: the text fields of `fields` plus the file parts, streamed to storage as they arrive. */
function uploadBody(fields: z.ZodType, required: string[]): RequestBody {
  const base = inputOf(fields);
  return {
    required: true,
    description: "multipart/form-data: the fields below as text parts and the files as file parts. Which files a task takes: tensor `file` (+ `eval`), vad `file`, ocr `det`, `rec`, `dict` (+ `cls`). Each file is checked (ONNX, the task's signature, a test load in an isolated process) before anything is registered.",
    content: {
      "multipart/form-data": {
        schema: { ...base, properties: { ...((base.properties ?? {}) as Record<string, JsonSchema>), ...FILE_PARTS }, required: [...new Set([...((base.required ?? []) as string[]), ...required])] },
      },
    },
  };
}

const UPLOAD_ERRORS = [400, 404, 409, 413, 415, 422];
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
    post: operation("post", {
      id: "adminUploadModel",
      tag,
      summary: "Bring a model: upload ONNX files for a tensor, vad or ocr model",
      description:
        "The files stream to storage (content-addressed by SHA-256), are read (inputs, outputs, opset, operators), checked against the task's signature and test-loaded in an isolated process. " +
        "Then the model is registered, servable on every instance within seconds, and measured in the background (latency at concurrency 1/4/16, cold load, memory, accuracy). " +
        "400 invalid_model: not ONNX, corrupt, or the wrong signature for the task; 413 model_too_large; 422 unsupported_operator names the operator; 409 conflict: the id is taken.",
      auth: "admin",
      body: uploadBody(uploadFields, ["id", "task"]),
      ok: { status: 201, description: "The registered model.", schema: ref("RegistryModel") },
      errors: UPLOAD_ERRORS,
    }),
  },
  "/api/v1/admin/models/{id}": {
    get: operation("get", {
      id: "adminGetRegistryModel",
      tag,
      summary: "A model with its versions: files (SHA-256), signatures, status and traffic shares",
      auth: "admin",
      parameters: [pathParam("id", "Model id.")],
      ok: { status: 200, description: "The model.", schema: ref("RegistryModel") },
      errors: [404],
    }),
    patch: operation("patch", {
      id: "adminPatchRegistryModel",
      tag,
      summary: "Split traffic between versions (canary, promotion, rollback), enable or disable, sticky per key",
      description: "A rollback is one call giving the old version 100. Shares must sum to 100; a version still being validated or that failed cannot take traffic. Audit-logged.",
      auth: "admin",
      parameters: [pathParam("id", "Model id.")],
      body: jsonBody(ref("RegistryModelPatch")),
      ok: { status: 200, description: "The model after the change.", schema: ref("RegistryModel") },
      errors: [...PATCH_ERRORS, 409],
    }),
    delete: operation("delete", {
      id: "adminDeleteRegistryModel",
      tag,
      summary: "Delete an uploaded model and its versions (its files go when nothing else uses them)",
      description: "Refused (409 model_in_use) while it is a task default, and for built-in models.",
      auth: "admin",
      parameters: [pathParam("id", "Model id.")],
      ok: { status: 200, description: "Deleted.", schema: ref("RegistryModelDeleted") },
      errors: [404, 409],
    }),
  },
  "/api/v1/admin/models/{id}/versions": {
    post: operation("post", {
      id: "adminAddModelVersion",
      tag,
      summary: "Add a version to an uploaded model (it takes no traffic until a PATCH gives it some)",
      description: "Measured on arrival like a new model.",
      auth: "admin",
      parameters: [pathParam("id", "Model id.")],
      body: uploadBody(versionFields, []),
      ok: { status: 201, description: "The model with its new version.", schema: ref("RegistryModel") },
      errors: UPLOAD_ERRORS,
    }),
  },
  "/api/v1/admin/models/{id}/versions/{version}": {
    delete: operation("delete", {
      id: "adminDeleteModelVersion",
      tag,
      summary: "Delete a version without traffic (not the model's last)",
      auth: "admin",
      parameters: [pathParam("id", "Model id."), pathParam("version", "Version.")],
      ok: { status: 200, description: "Deleted.", schema: ref("RegistryModelDeleted") },
      errors: [404, 409],
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
