import "server-only";
/**
 * What an ONNX file declares about itself, read straight from its protobuf: IR version, producer, opset imports,
 * the operator types of the graph and its subgraphs, and the inputs'/outputs' shapes (symbolic or unknown axes are
 * dynamic). A hand-rolled reader of the few fields we need, so it costs one file read and no ONNX Runtime session;
 * initializer payloads are skipped by length, never decoded.
 */
import fs from "node:fs";

export interface OnnxValueInfo {
  name: string;
  /** A number for a fixed axis, a string for a named (dynamic) one, null for an unknown one. */
  dims: (number | string | null)[];
}

export interface OnnxMeta {
  irVersion: number;
  producer: string;
  opsets: { domain: string; version: number }[];
  /** Opset of the standard domain ("" / "ai.onnx"). */
  defaultOpset: number | null;
  /** Distinct operator types, subgraphs included; non-standard domains are prefixed ("com.microsoft:FusedConv"). */
  ops: string[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Every axis of an input or output that is not a fixed size. */
  dynamicAxes: { tensor: string; axis: number; name: string | null }[];
}

class Reader {
  pos: number;
  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
  }
  done(): boolean {
    return this.pos >= this.end;
  }
  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error("truncated varint");
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  }
  /** A field tag: [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }
  bytes(): Reader {
    const len = this.varint();
    if (this.pos + len > this.end) throw new Error("truncated field");
    const r = new Reader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }
  string(): string {
    const r = this.bytes();
    return Buffer.from(r.buf.buffer, r.buf.byteOffset + r.pos, r.end - r.pos).toString("utf8");
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** Walks a message's fields, calling `on` for each; unhandled fields are skipped. */
function fields(r: Reader, on: (field: number, wire: number, r: Reader) => boolean): void {
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (!on(field, wire, r)) r.skip(wire);
  }
}

function valueInfo(r: Reader): OnnxValueInfo {
  const v: OnnxValueInfo = { name: "", dims: [] };
  fields(r, (f, w, m) => {
    if (f === 1 && w === 2) v.name = m.string();
    else if (f === 2 && w === 2) {
      // TypeProto.tensor_type (1) → shape (2) → dim (1) → dim_value (1) | dim_param (2)
      fields(m.bytes(), (tf, tw, t) => {
        if (tf !== 1 || tw !== 2) return false;
        fields(t.bytes(), (sf, sw, s) => {
          if (sf !== 2 || sw !== 2) return false;
          fields(s.bytes(), (df, dw, d) => {
            if (df !== 1 || dw !== 2) return false;
            let dim: number | string | null = null;
            fields(d.bytes(), (xf, xw, x) => {
              if (xf === 1 && xw === 0) dim = x.varint();
              else if (xf === 2 && xw === 2) dim = x.string();
              else return false;
              return true;
            });
            v.dims.push(dim);
            return true;
          });
          return true;
        });
        return true;
      });
    } else return false;
    return true;
  });
  return v;
}

/** Collects a graph's operator types (and those of If/Loop/Scan bodies); the main graph also gives its I/O. */
function graph(r: Reader, meta: OnnxMeta, ops: Set<string>, initializers: Set<string>, main: boolean): void {
  fields(r, (gf, gw, g) => {
    if (gf === 1 && gw === 2) {
      let op = "";
      let domain = "";
      fields(g.bytes(), (nf, nw, n) => {
        if (nf === 4 && nw === 2) op = n.string();
        else if (nf === 7 && nw === 2) domain = n.string();
        else if (nf === 5 && nw === 2) {
          // AttributeProto: g (6) and graphs (11) hold subgraphs (If branches, Loop bodies).
          fields(n.bytes(), (af, aw, a) => {
            if ((af === 6 || af === 11) && aw === 2) graph(a.bytes(), meta, ops, initializers, false);
            else return false;
            return true;
          });
        } else return false;
        return true;
      });
      ops.add(domain && domain !== "ai.onnx" ? `${domain}:${op}` : op);
    } else if (main && gf === 5 && gw === 2) {
      fields(g.bytes(), (tf, tw, t) => {
        if (tf !== 8 || tw !== 2) return false;
        initializers.add(t.string());
        return true;
      });
    } else if (main && gf === 11 && gw === 2) meta.inputs.push(valueInfo(g.bytes()));
    else if (main && gf === 12 && gw === 2) meta.outputs.push(valueInfo(g.bytes()));
    else return false;
    return true;
  });
}

export function parseOnnx(buf: Uint8Array): OnnxMeta {
  const meta: OnnxMeta = { irVersion: 0, producer: "", opsets: [], defaultOpset: null, ops: [], inputs: [], outputs: [], dynamicAxes: [] };
  const ops = new Set<string>();
  const initializers = new Set<string>();
  fields(new Reader(buf), (f, w, r) => {
    if (f === 1 && w === 0) meta.irVersion = r.varint();
    else if (f === 2 && w === 2) meta.producer = r.string();
    else if (f === 8 && w === 2) {
      const o = { domain: "", version: 0 };
      fields(r.bytes(), (of, ow, x) => {
        if (of === 1 && ow === 2) o.domain = x.string();
        else if (of === 2 && ow === 0) o.version = x.varint();
        else return false;
        return true;
      });
      meta.opsets.push(o);
    } else if (f === 7 && w === 2) graph(r.bytes(), meta, ops, initializers, true);
    else return false;
    return true;
  });
  // IR < 4 lists initializers among the graph inputs; they are weights, not inputs.
  meta.inputs = meta.inputs.filter((i) => !initializers.has(i.name));
  meta.ops = [...ops].sort();
  meta.defaultOpset = meta.opsets.find((o) => o.domain === "" || o.domain === "ai.onnx")?.version ?? null;
  for (const t of [...meta.inputs, ...meta.outputs]) {
    t.dims.forEach((d, axis) => {
      if (typeof d !== "number" || d <= 0) meta.dynamicAxes.push({ tensor: t.name, axis, name: typeof d === "string" ? d : null });
    });
  }
  return meta;
}

const cache = new Map<string, { mtimeMs: number; meta: OnnxMeta }>();

/** Parses a file once per modification time (weights don't change while the server runs). */
export function readOnnxMeta(file: string): OnnxMeta {
  const st = fs.statSync(file);
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.meta;
  const meta = parseOnnx(fs.readFileSync(file));
  cache.set(file, { mtimeMs: st.mtimeMs, meta });
  return meta;
}
