import { describe, expect, it } from "vitest";
import { findUnsafeInput, MAX_INPUT_DEPTH, unsafeInputError } from "./unsafe-input";

describe("findUnsafeInput", () => {
  it("finds a NUL character anywhere in a string, with the path to it", () => {
    expect(findUnsafeInput({ site: { address: "1 High St\u0000" }, tags: ["ok", "a\u0000b"] })).toEqual([
      { path: ["site", "address"], message: "Text must not contain the NUL character (\\u0000)", type: "string_contains_nul" },
      { path: ["tags", 1], message: "Text must not contain the NUL character (\\u0000)", type: "string_contains_nul" },
    ]);
  });

  it("finds lone surrogates but accepts paired ones (emoji) and other Unicode", () => {
    expect(findUnsafeInput({ name: "Zoë 🔋 日本" })).toEqual([]);
    for (const bad of ["\ud800", "x\udc00", "\ud83d", "a\udfffb", "\udc00\ud800"]) {
      expect(findUnsafeInput({ name: bad }), JSON.stringify(bad)).toMatchObject([{ path: ["name"], type: "string_not_unicode" }]);
    }
  });

  it("checks field names as well as values", () => {
    expect(findUnsafeInput({ metadata: { "bad\u0000key": 1 } })).toMatchObject([{ path: ["metadata", "bad\u0000key"], type: "string_contains_nul", message: expect.stringMatching(/^A field name/) }]);
  });

  it("refuses nesting beyond the limit without walking it recursively", () => {
    let deep: unknown = "leaf";
    for (let level = 0; level < 200_000; level += 1) deep = [deep];
    const issues = findUnsafeInput({ value: deep });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ type: "nesting_too_deep" });
    expect(issues[0]?.path).toHaveLength(MAX_INPUT_DEPTH);
  });

  it("leaves ordinary values alone: numbers, booleans, null, dates", () => {
    expect(findUnsafeInput({ a: 1, b: true, c: null, d: new Date(0), e: [1.5, "text"] })).toEqual([]);
    expect(unsafeInputError({ a: "fine" })).toBeNull();
  });

  it("reports the issues as a zod error that carries each type", () => {
    const error = unsafeInputError({ name: "\u0000" });
    expect(error?.issues).toMatchObject([{ code: "custom", path: ["name"], params: { type: "string_contains_nul" } }]);
  });
});
