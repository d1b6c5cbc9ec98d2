import { vadRequest } from "@/lib/api/inference";
import { route } from "@/lib/api/route";

// POST /api/v1/vad – find speech in a WAV file (raw `audio/wav` body, multipart `audio` or JSON base64 `audio`)
export const POST = route({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/vad" } }, vadRequest);
