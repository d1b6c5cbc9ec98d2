/**
 * A small OAuth server on loopback that answers the calls next-auth's GitHub provider makes (authorize redirect,
 * code → token, `GET /user`, `GET /user/emails`), for sign-in tests over real HTTP. Point the server under test at
 * it with GITHUB_URL and GITHUB_API_URL. `as(identity)` sets who the next person to authorize is.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHubIdentity {
  id: number;
  login: string;
  name?: string;
  /** The profile's public email (GitHub may leave it null). */
  email: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface FakeGitHub {
  url: string;
  as(identity: GitHubIdentity): void;
  /** Requests received, as "METHOD /path" (to check which endpoints the server called). */
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  let next: GitHubIdentity | null = null;
  const codes = new Map<string, GitHubIdentity>();
  const tokens = new Map<string, GitHubIdentity>();
  const calls: string[] = [];
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const bearer = (req: http.IncomingMessage) => tokens.get(String(req.headers.authorization ?? "").replace(/^(token|bearer)\s+/i, ""));

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://127.0.0.1");
    calls.push(`${req.method} ${u.pathname}`);
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      if (req.method === "GET" && u.pathname === "/login/oauth/authorize") {
        const redirect = u.searchParams.get("redirect_uri");
        if (!next || !redirect) return json(res, 400, { error: "no identity or redirect_uri" });
        const code = crypto.randomBytes(12).toString("hex");
        codes.set(code, next);
        const to = new URL(redirect);
        to.searchParams.set("code", code);
        const state = u.searchParams.get("state");
        if (state) to.searchParams.set("state", state);
        res.writeHead(302, { location: to.toString() });
        return res.end();
      }
      if (req.method === "POST" && u.pathname === "/login/oauth/access_token") {
        const code = new URLSearchParams(body).get("code") ?? "";
        const who = codes.get(code);
        codes.delete(code);
        if (!who) return json(res, 400, { error: "bad_verification_code" });
        const token = `gho_${crypto.randomBytes(12).toString("hex")}`;
        tokens.set(token, who);
        return json(res, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
      }
      if (req.method === "GET" && u.pathname === "/user") {
        const who = bearer(req);
        if (!who) return json(res, 401, { message: "Bad credentials" });
        return json(res, 200, { id: who.id, login: who.login, name: who.name ?? who.login, email: who.email, avatar_url: null });
      }
      if (req.method === "GET" && u.pathname === "/user/emails") {
        const who = bearer(req);
        if (!who) return json(res, 401, { message: "Bad credentials" });
        return json(res, 200, who.emails.map((e) => ({ ...e, visibility: e.primary ? "public" : null })));
      }
      json(res, 404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    as: (identity) => (next = identity),
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
