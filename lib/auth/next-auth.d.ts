import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string; role: "USER" | "ADMIN"; locale: string } & DefaultSession["user"];
  }
  interface User {
    role?: "USER" | "ADMIN";
    locale?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: "USER" | "ADMIN";
    locale?: string;
  }
}
