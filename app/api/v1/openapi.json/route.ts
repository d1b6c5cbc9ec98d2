import { route } from "@/lib/api/route";
import { openApiDocument } from "@/lib/api/openapi/document";

// GET /api/v1/openapi.json – the OpenAPI 3.1 document of this API, generated from the handlers' zod schemas
export const GET = route({ auth: "public" }, async () => ({ body: openApiDocument() }));
