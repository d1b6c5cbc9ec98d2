// js-yaml (a dependency of eslint, present in node_modules) ships no types; build-corpus.ts uses only load().
declare module "js-yaml" {
  export function load(text: string): unknown;
  const yaml: { load(text: string): unknown };
  export default yaml;
}
