import { describe, expect, it } from "vitest";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import { MAX_JSON_DEPTH, checkJsonValue, parseStrictJson } from "@/lib/snapshot/strict-json";

const FILE = "accounts/222222222222/regions/us-east-1/lambda/list-functions.json";
const bytes = (text: string) => new TextEncoder().encode(text);

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotError);
    return (error as SnapshotError).message;
  }
  throw new Error("expected a SnapshotError");
}

describe("parseStrictJson", () => {
  it("parses ordinary AWS CLI output, escaped keys and nested arrays included", () => {
    expect(parseStrictJson(bytes('{"Functions": [{"FunctionName": "orders", "Layers": [[]], "a\\"b": 1}]}'), FILE)).toEqual({ Functions: [{ FunctionName: "orders", Layers: [[]], 'a"b': 1 }] });
  });

  it("rejects a second key of the same name instead of keeping the last one", () => {
    // Given a file whose second "Functions" would silently drop every function
    const text = '{"Functions": [{"FunctionName": "orders"}], "Functions": []}';
    // When it is parsed, Then the duplicate is named by its JSON path
    expect(errorOf(() => parseStrictJson(bytes(text), FILE))).toBe(`${FILE}: $.Functions: duplicate key (JSON allows it, but which value counts is ambiguous)`);
  });

  it("sees a duplicate written with an escape, deep inside an array", () => {
    const text = '{"Functions": [{}, {"Role": "a", "R\\u006fle": "b"}]}';
    expect(errorOf(() => parseStrictJson(bytes(text), FILE))).toBe(`${FILE}: $.Functions[1].Role: duplicate key (JSON allows it, but which value counts is ambiguous)`);
  });

  it("rejects 10,000 levels of nesting without overflowing the stack", () => {
    const text = `{"SelfManagedEventSource": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    expect(errorOf(() => parseStrictJson(bytes(text), FILE))).toBe(`${FILE}: $.SelfManagedEventSource[0][0][0][0]…: nested deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it("rejects bytes that are not UTF-8 instead of replacing them", () => {
    const data = new Uint8Array([...bytes('{"FunctionName": "orders-'), 0xc3, 0x28, ...bytes('api"}')]);
    expect(errorOf(() => parseStrictJson(data, FILE))).toBe(`${FILE}: is not valid UTF-8 text (first bad byte at offset 25)`);
  });

  it("rejects NUL characters and lone surrogates in values and keys, naming where", () => {
    expect(errorOf(() => parseStrictJson(bytes('{"Functions": [{"FunctionName": "a\\u0000b"}]}'), FILE))).toBe(`${FILE}: $.Functions[0].FunctionName: contains a NUL character`);
    expect(errorOf(() => parseStrictJson(bytes('{"Env": {"\\ud800X": "v"}}'), FILE))).toBe(`${FILE}: $.Env: a key contains a lone UTF-16 surrogate (not valid Unicode)`);
    // A surrogate pair is a character like any other
    expect(parseStrictJson(bytes('{"Name": "\\ud83d\\ude00"}'), FILE)).toEqual({ Name: "😀" });
  });

  it("does not echo the file's text when JSON is malformed", () => {
    expect(errorOf(() => parseStrictJson(bytes('{"Value": "sk_live_secret'), FILE))).not.toContain("sk_live");
  });
});

describe("checkJsonValue (the live crawl's in-memory responses)", () => {
  it("rejects too deep values built in memory", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(errorOf(() => checkJsonValue({ Cors: deep }, FILE))).toMatch(/: \$\.Cors\[0\]\[0\]\[0\]\[0\]…: nested deeper than 64 levels$/);
  });
});
