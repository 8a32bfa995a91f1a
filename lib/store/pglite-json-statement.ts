/**
 * A statement with one JSON parameter on the embedded database, sent as one wire-protocol message
 * (Parse, Bind, Execute, Sync) written into a buffer kept between statements.
 *
 * PGlite's own `query` copies a large parameter into five new buffers on its way in (its message
 * writer slices the value, grows, flushes and concatenates). A scan's rows are megabytes per
 * statement and gigabytes per large scan, and V8 answers that much short-lived buffer memory with a
 * full collection of the writing thread's heap every half second or so. Here the parameter is
 * copied once, into the kept buffer, and the statement runs under PGlite's lock as its own queries
 * do (`runExclusive`: the scan's heartbeat and progress writes wait their turn). Errors are
 * PGlite's, as its `query` throws them: the message ends with Sync, so after an error the session
 * is ready for the next statement (and the transaction's ROLLBACK).
 */
import type { PGlite } from "@electric-sql/pglite";

const encoder = new TextEncoder();
/** A kept buffer larger than this is let go after its statement (one large statement keeps nothing). */
const KEPT_BYTES = 16 * 1024 * 1024;

export function pgliteJsonStatement(client: PGlite): (sql: string, json: Uint8Array) => Promise<void> {
  let kept = new Uint8Array(64 * 1024);
  return (sql, json) =>
    client.runExclusive(async () => {
      const text = encoder.encode(sql);
      // Parse (unnamed statement, the parameter's type from the SQL), Bind (one text-format
      // parameter, no result formats), Execute (all rows), Sync.
      const parse = 1 + 4 + 1 + text.length + 1 + 2;
      const bind = 1 + 4 + 1 + 1 + 2 + 2 + 2 + 4 + json.length + 2;
      const size = parse + bind + 10 + 5;
      const buffer = size <= kept.length ? kept : new Uint8Array(size);
      const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      let at = 0;
      const byte = (b: number) => void (buffer[at++] = b);
      const int16 = (n: number) => void (view.setInt16(at, n), (at += 2));
      const int32 = (n: number) => void (view.setInt32(at, n), (at += 4));
      byte(0x50); // 'P'
      int32(parse - 1);
      byte(0);
      buffer.set(text, at);
      at += text.length;
      byte(0);
      int16(0);
      byte(0x42); // 'B'
      int32(bind - 1);
      byte(0);
      byte(0);
      int16(1);
      int16(0);
      int16(1);
      int32(json.length);
      buffer.set(json, at);
      at += json.length;
      int16(0);
      byte(0x45); // 'E'
      int32(9);
      byte(0);
      int32(0);
      byte(0x53); // 'S'
      int32(4);
      try {
        await client.execProtocol(buffer.subarray(0, at));
      } finally {
        if (buffer.length > kept.length && buffer.length <= KEPT_BYTES) kept = buffer;
      }
    });
}
