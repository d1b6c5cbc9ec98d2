/**
 * Issue 11 item 10: after signing in, only same-origin paths. Each candidate is checked on both sides that act on
 * it: the sign-in form (browser navigation) and next-auth's `redirect` callback (server). The property behind every
 * row: whatever comes out, resolved the way a browser resolves it against our origin, stays on our origin.
 */
import { describe, expect, it } from "vitest";
import { safeCallback } from "@/app/_components/auth-form";
import { authOptions } from "@/lib/auth/options";

const origin = "http://127.0.0.1:3000";
const redirect = authOptions.callbacks!.redirect!;

const offsite = [
  "/%09/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "//evil.example",
  "///evil.example",
  "//evil.example/%2F..",
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\t\\evil.example",
  "https://evil.example",
  "HTTPS://evil.example/keys",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "%2F%2Fevil.example",
  "https:/\\evil.example",
  "http://127.0.0.1:3000@evil.example/",
  "http://user:pass@127.0.0.1:3000/keys",
  "http://127.0.0.1:3001/keys",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "",
];

// What the sign-in page receives after Next decodes the query string once (`%09` → a tab, `%5C` → `\`).
const decodedOnce = offsite.map((s) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
});

const onsite: [string, string][] = [
  ["/playground", "/playground"],
  ["/models?task=ocr#top", "/models?task=ocr#top"],
  ["/keys/../usage", "/usage"],
  ["/models/ocr%20v4", "/models/ocr%20v4"],
  // A scheme-relative reference with our own scheme is a path, for browsers as for the parser.
  ["http:evil.example", "/evil.example"],
  [`${origin}/keys`, "/keys"],
  [`${origin}//evil.example`, "/evil.example"],
  ["keys", "/keys"],
];

const stays = (result: string) => new URL(result, origin).origin === origin;

describe("sign-in form: callbackUrl → where the browser goes", () => {
  it.each([...new Set([...offsite, ...decodedOnce])].map((s) => [JSON.stringify(s), s]))("%s → /", (_, input) => {
    const out = safeCallback(input, origin);
    expect(out).toBe("/");
    expect(stays(out)).toBe(true);
  });

  it.each(onsite)("%s → %s", (input, expected) => {
    const out = safeCallback(input, origin);
    expect(out).toBe(expected);
    expect(stays(out)).toBe(true);
    // The browser's parser reads the result as a path on our host, not as `//host/…`.
    expect(out.startsWith("//")).toBe(false);
  });

  it("non-strings and absurd lengths → /", () => {
    expect(safeCallback(undefined, origin)).toBe("/");
    expect(safeCallback(["/keys", "//evil.example"] as unknown as string, origin)).toBe("/");
    expect(safeCallback(`/${"a".repeat(5000)}`, origin)).toBe("/");
  });

  it("during server render (origin unknown) an absolute URL is refused too", () => {
    expect(safeCallback("https://evil.example/x")).toBe("/");
    expect(safeCallback("/\t/evil.example")).toBe("/");
    expect(safeCallback("/keys")).toBe("/keys");
  });
});

describe("next-auth redirect callback", () => {
  it.each([...new Set([...offsite, ...decodedOnce])].map((s) => [JSON.stringify(s), s]))("%s → the home page", async (_, url) => {
    const out = await redirect({ url, baseUrl: origin });
    expect(out).toBe(`${origin}/`);
  });

  it.each(onsite)("%s → %s on this origin", async (url, expected) => {
    const out = await redirect({ url, baseUrl: origin });
    expect(out).toBe(`${origin}${expected}`);
    expect(new URL(out).origin).toBe(origin);
  });
});
