import "server-only";
import { env } from "@/lib/config/env";
import { db, isPostgres, type Role } from "./client";
import { defaultPlan, findPlanByName } from "./plans";

/** The columns safe to hand to pages and API responses (never the password hash). */
export const publicUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  locale: true,
  disabled: true,
  createdAt: true,
  plan: { select: { id: true, name: true } },
} as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(email: string) {
  return db().user.findUnique({ where: { email: normalizeEmail(email) } });
}

export function findUserById(id: string) {
  return db().user.findUnique({ where: { id }, select: { ...publicUserSelect, sessionVersion: true } });
}

/** What a session check needs, by primary key: whether the user may still be signed in, and since which version. */
export function findSessionState(id: string) {
  return db().user.findUnique({ where: { id }, select: { disabled: true, sessionVersion: true } });
}

/** Ends every session of the user (their cookies carry an older version from now on). */
export async function bumpSessionVersion(id: string): Promise<void> {
  await db().user.updateMany({ where: { id }, data: { sessionVersion: { increment: 1 } } });
}

/** Sets a new password and ends every session issued under the old one, in one statement. */
export async function setUserPassword(id: string, passwordHash: string): Promise<void> {
  await db().user.update({ where: { id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
}

export function findPasswordHash(id: string) {
  return db().user.findUnique({ where: { id }, select: { email: true, passwordHash: true } });
}

export class EmailTakenError extends Error {
  constructor() {
    super("email already registered");
  }
}

/** The invite given at sign-up is unknown, used, expired, revoked, or for another address. */
export class InviteInvalidError extends Error {
  constructor() {
    super("invalid invite");
  }
}

/**
 * Creates a user on the default plan. The very first account becomes ADMIN (`role: "auto"`) unless
 * PARETO_ADMIN_EMAIL names the administrator: decided inside one transaction, serialized on PostgreSQL by an
 * advisory lock, so two simultaneous first sign-ups can't both win. With `inviteHash`, the invite is used up in the
 * same transaction (a second sign-up with it, even a simultaneous one, fails with InviteInvalidError).
 */
export async function createUser(input: {
  email: string;
  name?: string | null;
  passwordHash?: string | null;
  role?: Role | "auto";
  locale?: string;
  image?: string | null;
  emailVerified?: Date | null;
  inviteHash?: string;
}) {
  const email = normalizeEmail(input.email);
  const plan = await defaultPlan();
  try {
    return await db().$transaction(async (tx) => {
      if (isPostgres()) await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(727275)");
      let role: Role = input.role === "auto" || input.role === undefined ? "USER" : input.role;
      if (input.role === "auto" && !env.adminEmail() && (await tx.user.count()) === 0) role = "ADMIN";
      const now = new Date();
      if (input.inviteHash !== undefined) {
        const claimed = await tx.invite.updateMany({
          where: { tokenHash: input.inviteHash, usedAt: null, expiresAt: { gt: now }, OR: [{ email: null }, { email }] },
          data: { usedAt: now },
        });
        if (claimed.count !== 1) throw new InviteInvalidError();
      }
      const user = await tx.user.create({
        data: {
          email,
          name: input.name ?? null,
          passwordHash: input.passwordHash ?? null,
          role,
          locale: input.locale ?? "en",
          image: input.image ?? null,
          emailVerified: input.emailVerified ?? null,
          planId: plan?.id ?? null,
        },
        select: publicUserSelect,
      });
      if (input.inviteHash !== undefined) await tx.invite.updateMany({ where: { tokenHash: input.inviteHash }, data: { usedById: user.id } });
      return user;
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new EmailTakenError();
    throw e;
  }
}

export function listUsers(opts: { search?: string; take?: number } = {}) {
  const q = opts.search?.trim();
  return db().user.findMany({
    where: q ? { OR: [{ email: { contains: q } }, { name: { contains: q } }] } : undefined,
    orderBy: { createdAt: "asc" },
    take: opts.take ?? 500,
    select: publicUserSelect,
  });
}

export async function setUserPlan(email: string, planName: string) {
  const plan = await findPlanByName(planName);
  if (!plan) return { ok: false as const, reason: "plan_not_found" as const };
  const user = await findUserByEmail(email);
  if (!user) return { ok: false as const, reason: "user_not_found" as const };
  const updated = await db().user.update({ where: { id: user.id }, data: { planId: plan.id }, select: publicUserSelect });
  return { ok: true as const, user: updated };
}

export function setUserLocale(id: string, locale: string) {
  return db().user.update({ where: { id }, data: { locale }, select: { id: true, locale: true } });
}

export function setUserRole(id: string, role: Role) {
  return db().user.update({ where: { id }, data: { role }, select: publicUserSelect });
}

/** The user with the plan's limits, for metering (fresh on every request, so plan edits apply at once). */
export function findUserWithPlan(id: string) {
  return db().user.findFirst({
    where: { id, disabled: false },
    select: {
      id: true,
      email: true,
      role: true,
      plan: { select: { name: true, requestsPerMinute: true, concurrentRequests: true, monthlyRequests: true, monthlyComputeMs: true } },
    },
  });
}

/** Disabling a user also ends their sessions, so enabling them again later does not revive old cookies. */
export function updateUser(id: string, data: { role?: Role; planId?: string; disabled?: boolean }) {
  return db().user.update({ where: { id }, data: { ...data, ...(data.disabled ? { sessionVersion: { increment: 1 } } : {}) }, select: publicUserSelect });
}

export async function userExists(id: string): Promise<boolean> {
  return (await db().user.count({ where: { id } })) === 1;
}
