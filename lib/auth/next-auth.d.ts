import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    /** `sv`: the user's session version this cookie was issued under (lib/auth/session-version.ts). */
    user: { id: string; role: "USER" | "ADMIN"; locale: string; sv: number } & DefaultSession["user"];
  }
  interface User {
    role?: "USER" | "ADMIN";
    locale?: string;
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: "USER" | "ADMIN";
    locale?: string;
    sv?: number;
  }
}
