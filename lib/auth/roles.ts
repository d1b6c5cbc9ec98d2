/** Who may enter which area. Pages and route handlers ask this on the server; the UI only mirrors it. */
export type Role = "USER" | "ADMIN";
export type Area = "public" | "member" | "admin";

export function canAccess(role: Role | null | undefined, area: Area): boolean {
  if (area === "public") return true;
  if (!role) return false;
  return area === "member" || role === "ADMIN";
}

export function isAdmin(user: { role: Role } | null | undefined): boolean {
  return canAccess(user?.role, "admin");
}
