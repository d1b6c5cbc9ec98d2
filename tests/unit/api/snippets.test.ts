import { describe, expect, it } from "vitest";
import { snippet } from "@/lib/api/snippets";

describe("request snippets", () => {
  const req = { baseUrl: "http://localhost:3000/", task: "ocr" as const, model: "ppocr-v4-det960", fileName: "sign en.png", options: { det_limit_side: 640, use_angle_cls: true } };

  it("curl names the endpoint, key header, file field and every option", () => {
    const s = snippet("curl", req);
    expect(s).toContain("curl 'http://localhost:3000/api/v1/ocr'");
    expect(s).toContain('-H "Authorization: Bearer $PARETO_API_KEY"');
    expect(s).toContain("-F 'image=@sign en.png'");
    expect(s).toContain("-F 'model=ppocr-v4-det960'");
    expect(s).toContain("-F 'det_limit_side=640'");
    expect(s).toContain("-F 'use_angle_cls=true'");
    expect(s.trim().endsWith("\\")).toBe(false);
  });

  it("quotes shell metacharacters safely", () => {
    expect(snippet("curl", { ...req, fileName: "it's.png" })).toContain(`-F 'image=@it'\\''s.png'`);
  });

  it("curl with a raw body sends the file as the body with its media type, the options in the query string", () => {
    const s = snippet("curlRaw", req);
    expect(s).toContain("curl 'http://localhost:3000/api/v1/ocr?model=ppocr-v4-det960&det_limit_side=640&use_angle_cls=true'");
    expect(s).toContain('-H "Authorization: Bearer $PARETO_API_KEY"');
    expect(s).toContain("-H 'Content-Type: image/png'");
    expect(s).toContain("--data-binary '@sign en.png'");
    expect(s.trim().endsWith("\\")).toBe(false);
    expect(snippet("curlRaw", { ...req, fileName: "photo.JPG" })).toContain("Content-Type: image/jpeg");
    expect(snippet("curlRaw", { ...req, fileName: "it's.webp" })).toContain(`--data-binary '@it'\\''s.webp'`);
    const vad = snippet("curlRaw", { ...req, task: "vad", model: "silero-vad-v5", fileName: "a.wav", options: { threshold: 0.6 } });
    expect(vad).toContain("/api/v1/vad?model=silero-vad-v5&threshold=0.6'");
    expect(vad).toContain("Content-Type: audio/wav");
  });

  it("JavaScript and Python use the audio field for VAD", () => {
    const vad = { ...req, task: "vad" as const, model: "silero-vad-v5", fileName: "a.wav", options: { threshold: 0.6 } };
    expect(snippet("js", vad)).toContain('form.set("audio"');
    expect(snippet("js", vad)).toContain('"http://localhost:3000/api/v1/vad"');
    expect(snippet("python", vad)).toContain('files={"audio": f}');
    expect(snippet("python", vad)).toContain('"threshold": "0.6"');
  });
});
