import "server-only";
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
  return db().user.findUnique({ where: { id }, select: { ...publicUserSelect, passwordHash: false } });
}

export class EmailTakenError extends Error {
  constructor() {
    super("email already registered");
  }
}

/**
 * Creates a user on the default plan. The very first account becomes ADMIN (`role: "auto"`): decided inside one
 * transaction, serialized on PostgreSQL by an advisory lock, so two simultaneous first sign-ups can't both win.
 */
export async function createUser(input: {
  email: string;
  name?: string | null;
  passwordHash?: string | null;
  role?: Role | "auto";
  locale?: string;
  image?: string | null;
  emailVerified?: Date | null;
}) {
  const email = normalizeEmail(input.email);
  const plan = await defaultPlan();
  try {
    return await db().$transaction(async (tx) => {
      if (isPostgres()) await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(727275)");
      let role: Role = input.role === "auto" || input.role === undefined ? "USER" : input.role;
      if (input.role === "auto" && (await tx.user.count()) === 0) role = "ADMIN";
      return tx.user.create({
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

export function setUserPasswordAndRole(id: string, passwordHash: string, role: Role) {
  return db().user.update({ where: { id }, data: { passwordHash, role }, select: publicUserSelect });
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

export function updateUser(id: string, data: { role?: Role; planId?: string; disabled?: boolean }) {
  return db().user.update({ where: { id }, data, select: publicUserSelect });
}

export async function userExists(id: string): Promise<boolean> {
  return (await db().user.count({ where: { id } })) === 1;
}
