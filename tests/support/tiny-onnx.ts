/**
 * A tiny ONNX classifier written with protobufjs for tests: y = Softmax(x · W + b), x [N, inputs] float,
 * y [N, classes]. Only the onnx.proto fields it needs are declared (field numbers as in onnx/onnx.proto).
 * (tests/support/onnx-builder.ts, when it lands on main, supersedes this.)
 */
import protobuf from "protobufjs";

const FLOAT = 1;

const root = protobuf.Root.fromJSON({
  nested: {
    OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } } },
    TensorProto: {
      fields: {
        dims: { rule: "repeated", type: "int64", id: 1 },
        dataType: { type: "int32", id: 2 },
        floatData: { rule: "repeated", type: "float", id: 4 },
        name: { type: "string", id: 8 },
      },
    },
    Dimension: { fields: { dimValue: { type: "int64", id: 1 }, dimParam: { type: "string", id: 2 } } },
    TensorShapeProto: { fields: { dim: { rule: "repeated", type: "Dimension", id: 1 } } },
    TensorTypeProto: { fields: { elemType: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } },
    TypeProto: { fields: { tensorType: { type: "TensorTypeProto", id: 1 } } },
    ValueInfoProto: { fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 } } },
    NodeProto: {
      fields: {
        input: { rule: "repeated", type: "string", id: 1 },
        output: { rule: "repeated", type: "string", id: 2 },
        name: { type: "string", id: 3 },
        opType: { type: "string", id: 4 },
      },
    },
    GraphProto: {
      fields: {
        node: { rule: "repeated", type: "NodeProto", id: 1 },
        name: { type: "string", id: 2 },
        initializer: { rule: "repeated", type: "TensorProto", id: 5 },
        input: { rule: "repeated", type: "ValueInfoProto", id: 11 },
        output: { rule: "repeated", type: "ValueInfoProto", id: 12 },
      },
    },
    ModelProto: {
      fields: {
        irVersion: { type: "int64", id: 1 },
        producerName: { type: "string", id: 2 },
        graph: { type: "GraphProto", id: 7 },
        opsetImport: { rule: "repeated", type: "OperatorSetIdProto", id: 8 },
      },
    },
  },
});

const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});

/** The ONNX bytes of Softmax(x · W + b); `w` is inputs × classes, row-major. */
export function tinyClassifier(w: number[][], b: number[]): Buffer {
  const inputs = w.length;
  const classes = b.length;
  const Model = root.lookupType("ModelProto");
  const msg = Model.fromObject({
    irVersion: 7,
    producerName: "pareto-tests",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "tiny",
      node: [
        { input: ["x", "W"], output: ["xw"], name: "matmul", opType: "MatMul" },
        { input: ["xw", "b"], output: ["logits"], name: "add", opType: "Add" },
        { input: ["logits"], output: ["y"], name: "softmax", opType: "Softmax" },
      ],
      initializer: [
        { name: "W", dims: [inputs, classes], dataType: FLOAT, floatData: w.flat() },
        { name: "b", dims: [classes], dataType: FLOAT, floatData: b },
      ],
      input: [valueInfo("x", ["N", inputs])],
      output: [valueInfo("y", ["N", classes])],
    },
  });
  return Buffer.from(Model.encode(msg).finish());
}
