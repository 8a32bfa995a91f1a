/**
 * Crawl parts at rest in a shared database hold what AWS returned, environment variable values
 * included, which must never be readable from the store. The coordinator of a queued crawl makes a
 * one-time RSA key pair and keeps the private key in memory only; workers seal their parts with a
 * fresh AES-256-GCM key that the public key wraps (RSA-OAEP), so only that coordinator can open them.
 */
import crypto from "node:crypto";

export interface SealKeys {
  publicKey: string;
  privateKey: crypto.KeyObject;
}

export function createSealKeys(): SealKeys {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), privateKey };
}

/** RSA-OAEP with SHA-256: how a worker's AES key is wrapped and unwrapped. */
const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" } as const;

/**
 * Seals the parts one worker reads for one crawl: a fresh AES-256-GCM key, wrapped with the
 * coordinator's public key once, and a fresh IV for each part. Wrapping a key per part cost the
 * coordinator an RSA decryption per part (~0.4 ms each, one after another once the last job is
 * done): a few seconds at the end of a crawl of tens of thousands of jobs. The IVs are random 96-bit
 * values, safe for billions of parts under one key.
 */
export class PartSealer {
  private readonly key = crypto.randomBytes(32);
  private readonly wrapped: string;

  constructor(publicKeyPem: string) {
    this.wrapped = crypto.publicEncrypt({ key: crypto.createPublicKey(publicKeyPem), ...OAEP }, this.key).toString("base64url");
  }

  /** `v1.<wrapped key>.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(value: unknown): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return ["v1", this.wrapped, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
  }
}

/** Opens sealed parts with the coordinator's private key, unwrapping each worker's key once. */
export class PartOpener {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly privateKey: crypto.KeyObject) {}

  open<T>(sealed: string): T {
    const [version, wrapped, iv, tag, body] = sealed.split(".");
    if (version !== "v1" || body === undefined) throw new Error("sealed crawl part: unknown format");
    let key = this.keys.get(wrapped);
    if (!key) {
      key = crypto.privateDecrypt({ key: this.privateKey, ...OAEP }, Buffer.from(wrapped, "base64url"));
      this.keys.set(wrapped, key);
    }
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8")) as T;
  }
}
