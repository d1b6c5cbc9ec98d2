import { ocrRequest } from "@/lib/api/inference";
import { metered } from "@/lib/api/metered";

// POST /api/v1/ocr – read the text in an image (multipart `image` or JSON base64 `image`)
export const POST = metered({ route: "/api/v1/ocr", permission: "inference", allowSession: true }, ocrRequest);
