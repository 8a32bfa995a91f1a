/**
 * Crawl parts at rest in a shared database hold what AWS returned, environment variable values
 * included, which must never be readable from the store. The coordinator of a queued crawl makes a
 * one-time RSA key pair and keeps the private key in memory only; workers seal each part with the
 * public key (RSA-OAEP wraps a fresh AES-256-GCM key), so only that coordinator can open them.
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

/**
 * The coordinator's public key, parsed once per PEM: a worker seals every part of a crawl with the
 * same key, and parsing it for each part was ~3 % of a queued worker's CPU (0.1-0.2 ms a part).
 */
const publicKeys = new Map<string, crypto.KeyObject>();
function publicKeyOf(pem: string): crypto.KeyObject {
  let key = publicKeys.get(pem);
  if (!key) {
    // A worker outlives many crawls, one key each: keep the latest few.
    if (publicKeys.size >= 8) publicKeys.delete(publicKeys.keys().next().value!);
    publicKeys.set(pem, (key = crypto.createPublicKey(pem)));
  }
  return key;
}

/** `v1.<wrapped key>.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function seal(publicKeyPem: string, value: unknown): string {
  const key = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  const wrapped = crypto.publicEncrypt({ key: publicKeyOf(publicKeyPem), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, key);
  return ["v1", wrapped, iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function unseal<T>(privateKey: crypto.KeyObject, sealed: string): T {
  const [version, wrapped, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || body === undefined) throw new Error("sealed crawl part: unknown format");
  const key = crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, Buffer.from(wrapped, "base64url"));
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8")) as T;
}
