import { describe, expect, it } from "vitest";
import { databaseFault, isDatabaseUnavailable } from "@/lib/db/failures";

describe("databaseFault", () => {
  it("names the fault, not Prisma's code frame, even when the frame quotes the same phrases", () => {
    // Seen in the faults suite: the bundled caller contains this module's own pattern, so the frame line did match.
    const message = [
      "",
      "Invalid `prisma.usageEvent.createMany()` invocation in",
      "/srv/.next/server/chunks/ssr/lib_api_route.js:1:2345",
      "",
      "→ 1 module.exports=[1,e=>{return/Can't reach database|not queryable/i.test(t)}]",
      "",
      "Can't reach database server at `127.0.0.1:5432`",
    ].join("\n");
    const e = Object.assign(new Error(message), { code: "P1001" });
    expect(isDatabaseUnavailable(e)).toBe(true);
    expect(databaseFault(e)).toBe("Can't reach database server at `127.0.0.1:5432`");
  });

  it("falls back to the first meaningful line", () => {
    expect(databaseFault(new Error("\n  something else broke\nmore"))).toBe("something else broke");
    expect(databaseFault("Connection terminated unexpectedly")).toBe("Connection terminated unexpectedly");
  });
});
