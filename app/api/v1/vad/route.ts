import { vadRequest } from "@/lib/api/inference";
import { metered } from "@/lib/api/metered";

// POST /api/v1/vad – find speech in a WAV file (multipart `audio` or JSON base64 `audio`)
export const POST = metered({ route: "/api/v1/vad", permission: "inference", allowSession: true }, vadRequest);
