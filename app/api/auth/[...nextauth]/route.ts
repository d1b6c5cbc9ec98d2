import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { withSecureCookies } from "@/lib/auth/secure-cookies";
import { requestIsHttps } from "@/lib/config/request-client";

const nextAuth = NextAuth(authOptions) as (req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

// Cookies `Secure` whenever the browser reached us over https, including behind a trusted TLS-terminating proxy.
async function handler(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  const res = await nextAuth(req, ctx);
  return requestIsHttps(req.headers) ? withSecureCookies(res) : res;
}

export { handler as GET, handler as POST };
