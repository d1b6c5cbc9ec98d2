import { ocrRequest } from "@/lib/api/inference";
import { route } from "@/lib/api/route";

// POST /api/v1/ocr – read the text in an image (raw `image/png`, `image/jpeg` or `image/webp` body, multipart `image` or JSON base64 `image`)
export const POST = route({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/ocr" } }, ocrRequest);
