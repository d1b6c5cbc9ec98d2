import { route } from "@/lib/api/route";
import { linkInput } from "@/lib/api/schemas/auth";
import { parseJson } from "@/lib/api/validation";
import { completeGitHubLink } from "@/lib/auth/github-link";
import { requestClientAddress } from "@/lib/config/request-client";

// POST /api/auth/link – join a GitHub identity to the existing account with its email, proving that account's password
export const POST = route({ auth: "public", csrf: true }, async ({ req }) => ({
  body: await completeGitHubLink(await parseJson(req, linkInput), requestClientAddress(req.headers)),
}));
