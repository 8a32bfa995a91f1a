import crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSealKeys, PartOpener, PartSealer } from "./sealed-parts";

const part = (n: number) => ({ files: [[`accounts/111111111111/regions/us-east-1/lambda/get-function-${n}.json`, { Environment: { Variables: { DB_PASSWORD: `hunter${n}` } } }]] });

describe("sealed crawl parts", () => {
  afterEach(() => vi.restoreAllMocks());

  it("opens what a worker sealed for this crawl, and holds no value in the clear", () => {
    // Given the coordinator's keys and a worker's sealer for that crawl
    const keys = createSealKeys();
    const sealer = new PartSealer(keys.publicKey);

    // When the worker seals two parts
    const first = sealer.seal(part(1));
    const second = sealer.seal(part(2));

    // Then neither text shows the secret, each has its own IV, and the coordinator opens both
    expect(first).not.toContain("hunter1");
    expect(first.split(".")[2]).not.toBe(second.split(".")[2]);
    const opener = new PartOpener(keys.privateKey);
    expect(opener.open(first)).toEqual(part(1));
    expect(opener.open(second)).toEqual(part(2));
  });

  it("unwraps a worker's key once for all its parts: the end of a large crawl is not one RSA decryption per job", () => {
    // Given 500 parts sealed by each of two workers
    const keys = createSealKeys();
    const workers = [new PartSealer(keys.publicKey), new PartSealer(keys.publicKey)];
    const sealed = workers.flatMap((w) => Array.from({ length: 500 }, (_, i) => w.seal(part(i))));

    // When the coordinator opens them all
    const decrypt = vi.spyOn(crypto, "privateDecrypt");
    const opener = new PartOpener(keys.privateKey);
    const opened = sealed.map((s) => opener.open<ReturnType<typeof part>>(s));

    // Then every part is back, with two RSA decryptions (one per worker) instead of 1,000
    expect(opened[999]).toEqual(part(499));
    expect(decrypt).toHaveBeenCalledTimes(2);
  });

  it("refuses a part changed at rest, or sealed for another crawl", () => {
    const keys = createSealKeys();
    const sealed = new PartSealer(keys.publicKey).seal(part(1));
    const [v, wrapped, iv, tag, body] = sealed.split(".");
    const flipped = Buffer.from(body, "base64url");
    flipped[0] ^= 1;
    expect(() => new PartOpener(keys.privateKey).open([v, wrapped, iv, tag, flipped.toString("base64url")].join("."))).toThrow();
    expect(() => new PartOpener(createSealKeys().privateKey).open(sealed)).toThrow();
  });
});
