/**
 * File access for the snapshot reader: a directory on disk (untrusted: a client hands it over)
 * or the same layout in memory (the live crawl's responses). Every problem with a file — missing,
 * unreadable, not a regular file, a link out of the snapshot, not UTF-8, not JSON, duplicate keys,
 * too deep, not the expected shape — is a SnapshotError naming the file and, where it applies,
 * the JSON path.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { SnapshotError, snapshotErrorFromZod } from "@/lib/snapshot/snapshot-error";
import { checkJsonValue, parseStrictJson } from "@/lib/snapshot/strict-json";

/** What the normalization reads: a directory on disk, or the same layout in memory. */
export interface SnapshotSource {
  readonly filesRead: number;
  exists(rel: string): Promise<boolean>;
  /** Sub-directory names; none when the directory is absent. */
  listDirs(rel: string): Promise<string[]>;
  /** `<name>` for each `<name>.json` file; none when the directory is absent. */
  listJsonNames(rel: string): Promise<string[]>;
  required<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S>>;
  optional<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S> | null>;
}

/** Larger than any AWS CLI output a real account produces (authorization details of thousands of roles). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** The snapshot layout as in-memory JSON values keyed by relative path. */
export class MemorySnapshotFiles implements SnapshotSource {
  filesRead = 0;
  /** Directory → its sub-directories and `.json` names, built once: a crawl's thousands of files are listed directory by directory. */
  private index: Map<string, { dirs: Set<string>; jsonNames: string[] }> | null = null;

  constructor(private readonly files: ReadonlyMap<string, unknown>) {}

  private entry(rel: string) {
    if (!this.index) {
      const index = new Map<string, { dirs: Set<string>; jsonNames: string[] }>();
      const at = (dir: string) => {
        let e = index.get(dir);
        if (!e) index.set(dir, (e = { dirs: new Set(), jsonNames: [] }));
        return e;
      };
      for (const key of this.files.keys()) {
        const parts = key.split("/");
        // Every directory above the file, each listing the one below it.
        for (let i = 1; i < parts.length; i++) {
          const dir = at(parts.slice(0, i).join("/"));
          if (i + 1 < parts.length) dir.dirs.add(parts[i]);
        }
        const name = parts[parts.length - 1];
        if (parts.length > 1 && name.endsWith(".json")) at(parts.slice(0, -1).join("/")).jsonNames.push(name.slice(0, -".json".length));
      }
      this.index = index;
    }
    return this.index.get(rel);
  }

  async exists(rel: string): Promise<boolean> {
    return this.files.has(rel) || this.entry(rel) !== undefined;
  }

  async listDirs(rel: string): Promise<string[]> {
    return [...(this.entry(rel)?.dirs ?? [])];
  }

  async listJsonNames(rel: string): Promise<string[]> {
    return [...(this.entry(rel)?.jsonNames ?? [])];
  }

  async required<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S>> {
    const value = await this.optional(rel, schema);
    if (value === null) throw new SnapshotError(rel, "", "required file is missing");
    return value;
  }

  async optional<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S> | null> {
    if (!this.files.has(rel)) return null;
    this.filesRead++;
    const json = this.files.get(rel);
    checkJsonValue(json, rel);
    return validate(rel, json, schema);
  }
}

/** Bounded-concurrency JSON file access relative to the snapshot root. */
export class SnapshotFiles implements SnapshotSource {
  filesRead = 0;
  private active = 0;
  /** Tasks waiting for a slot, first in first out (`waiting[waitingHead]` is next): a whole organization's reads queue here at once, and shifting an array of 100,000 costs more than reading the files. */
  private waiting: (() => void)[] = [];
  private waitingHead = 0;
  private realRoot: Promise<string> | null = null;

  constructor(
    private readonly root: string,
    private readonly concurrency: number,
  ) {}

  private async limit<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so `active` never overshoots.
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.nextWaiting();
      if (next) next();
      else this.active--;
    }
  }

  private nextWaiting(): (() => void) | undefined {
    if (this.waitingHead === this.waiting.length) return undefined;
    const next = this.waiting[this.waitingHead++];
    if (this.waitingHead === this.waiting.length) {
      this.waiting = [];
      this.waitingHead = 0;
    } else if (this.waitingHead >= 1024 && this.waitingHead * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.waitingHead);
      this.waitingHead = 0;
    }
    return next;
  }

  async exists(rel: string): Promise<boolean> {
    // Synchronous: one lstat costs less than its threadpool round trip.
    try {
      lstatSync(path.join(this.root, rel));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw fileSystemError(rel, error as NodeJS.ErrnoException);
    }
  }

  async listDirs(rel: string): Promise<string[]> {
    const names: string[] = [];
    for (const entry of await this.list(rel)) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) names.push(entry.name);
      else if (entry.isSymbolicLink()) {
        await this.insideSnapshot(child);
        const target = await this.limit(() => stat(path.join(this.root, child))).catch((error: NodeJS.ErrnoException) => {
          throw fileSystemError(child, error);
        });
        if (!target.isDirectory()) throw new SnapshotError(child, "", `expected a directory, found a link to ${kindOf(target)}`);
        names.push(entry.name);
      } else if (!entry.name.startsWith(".")) {
        // Hidden files (.DS_Store) are left alone; anything else here is a mistake worth naming.
        throw new SnapshotError(child, "", `expected a directory, found ${kindOf(entry)}`);
      }
    }
    return names;
  }

  async listJsonNames(rel: string): Promise<string[]> {
    const names: string[] = [];
    for (const entry of await this.list(rel)) {
      if (!entry.name.endsWith(".json")) continue;
      // Links are checked when read; anything but a file or a link where a JSON file is expected is refused.
      if (!entry.isFile() && !entry.isSymbolicLink()) throw new SnapshotError(`${rel}/${entry.name}`, "", `expected a file, found ${kindOf(entry)}`);
      names.push(entry.name.slice(0, -".json".length));
    }
    return names;
  }

  private async list(rel: string) {
    const info = await this.limit(() => lstat(path.join(this.root, rel))).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw fileSystemError(rel, error);
    });
    if (info === null) return [];
    await this.insideSnapshot(rel);
    return this.limit(() =>
      readdir(path.join(this.root, rel), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        throw fileSystemError(rel, error);
      }),
    );
  }

  /** Refuses a path that resolves (through links, at any level) outside the snapshot directory. */
  private async insideSnapshot(rel: string): Promise<void> {
    this.realRoot ??= realpath(this.root);
    const [root, real] = await Promise.all([
      this.realRoot,
      this.limit(() => realpath(path.join(this.root, rel))).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") throw new SnapshotError(rel, "", "is a symbolic link to something that does not exist");
        throw fileSystemError(rel, error);
      }),
    ]);
    if (real !== root && !real.startsWith(`${root}${path.sep}`)) throw new SnapshotError(rel, "", "is a symbolic link (or inside one) that points outside the snapshot directory; refusing to follow it");
  }

  async required<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S>> {
    const value = await this.optional(rel, schema);
    if (value === null) throw new SnapshotError(rel, "", "required file is missing");
    return value;
  }

  async optional<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S> | null> {
    const bytes = await this.readBytes(rel);
    return bytes === null ? null : this.parse(rel, bytes, schema);
  }

  /** A file's bytes (readBytes) as the schema's value, counted as read. */
  parse<S extends z.ZodType>(rel: string, bytes: Uint8Array, schema: S): z.output<S> {
    this.filesRead++;
    return validate(rel, parseStrictJson(bytes, rel), schema);
  }

  /** The file's bytes; null when it does not exist. Never opens a FIFO or device in blocking mode. */
  async readBytes(rel: string): Promise<Uint8Array | null> {
    if (NOFOLLOW !== undefined) {
      const fast = await this.limit(() => this.readRegularFile(rel, readToEnd));
      if (fast !== FOLLOW_LINK) return fast;
    }
    const full = path.join(this.root, rel);
    const exists = await this.limit(() => lstat(full)).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return false;
        throw fileSystemError(rel, error);
      },
    );
    if (!exists) return null;
    await this.insideSnapshot(rel);
    return this.limit(async () => {
      // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever (and ignore Ctrl-C).
      const handle = await open(full, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
        throw fileSystemError(rel, error);
      });
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new SnapshotError(rel, "", `expected a file, found ${kindOf(info)}`);
        if (info.size > MAX_FILE_BYTES) throw new SnapshotError(rel, "", `is ${info.size} bytes, more than the ${MAX_FILE_BYTES} a snapshot file may have`);
        return await handle.readFile().catch((error: NodeJS.ErrnoException) => {
          throw fileSystemError(rel, error);
        });
      } finally {
        await handle.close();
      }
    });
  }

  /**
   * The SHA-256 (hex) of the bytes readBytes gives; null when the file does not exist. The common
   * case reads through one reused buffer: checking a whole organization's files allocates nothing per file.
   */
  async digest(rel: string): Promise<string | null> {
    if (NOFOLLOW !== undefined) {
      const fast = await this.limit(() => this.readRegularFile(rel, hashToEnd));
      if (fast !== FOLLOW_LINK) return fast;
    }
    const bytes = await this.readBytes(rel);
    return bytes === null ? null : sha256Hex(bytes);
  }

  private filesSinceYield = 0;

  /**
   * The fast path for the common case, a regular file that is not a link, inside the snapshot:
   * one open (O_NOFOLLOW, so a link is never followed here), then where the open file really is
   * (its /proc/self/fd entry, so no link swapped in after a check can mislead it), fstat, read
   * and close, as synchronous calls: the threadpool round trips of the general path cost more than
   * reading a snapshot's small files. FOLLOW_LINK for a link, a file outside the snapshot or any
   * error but a missing file: the general path then checks and reports it as it always did.
   */
  private async readRegularFile<T>(rel: string, read: (fd: number, size: number, rel: string) => T): Promise<T | null | typeof FOLLOW_LINK> {
    // Lets timers and signals (Ctrl-C) in between synchronous reads.
    if (++this.filesSinceYield % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    this.realRoot ??= realpath(this.root);
    const root = await this.realRoot;
    let fd: number;
    try {
      fd = openSync(path.join(this.root, rel), constants.O_RDONLY | constants.O_NONBLOCK | NOFOLLOW!);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ENOENT" ? null : FOLLOW_LINK;
    }
    try {
      let real: string;
      try {
        real = readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return FOLLOW_LINK;
      }
      if (!real.startsWith(`${root}${path.sep}`)) return FOLLOW_LINK;
      const info = fstatSync(fd);
      if (!info.isFile()) throw new SnapshotError(rel, "", `expected a file, found ${kindOf(info)}`);
      if (info.size > MAX_FILE_BYTES) throw new SnapshotError(rel, "", `is ${info.size} bytes, more than the ${MAX_FILE_BYTES} a snapshot file may have`);
      return read(fd, info.size, rel);
    } finally {
      closeSync(fd);
    }
  }
}

/** SHA-256 of bytes, as hex: how a snapshot file's content is named (lib/snapshot/account-read-cache.ts). */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const SCRATCH = Buffer.allocUnsafe(256 * 1024);

/** The SHA-256 of a file's bytes up to its end, read through SCRATCH (as readToEnd, whose size limit it keeps). */
function hashToEnd(fd: number, _size: number, rel: string): string {
  const hash = createHash("sha256");
  try {
    for (let total = 0; ; ) {
      const n = readSync(fd, SCRATCH, 0, SCRATCH.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_FILE_BYTES) throw new SnapshotError(rel, "", `is more than the ${MAX_FILE_BYTES} bytes a snapshot file may have`);
      hash.update(SCRATCH.subarray(0, n));
    }
  } catch (error) {
    throw fileSystemError(rel, error as NodeJS.ErrnoException);
  }
  return hash.digest("hex");
}

/** Where the open file's real path can be read (Linux): elsewhere every file takes the general path. */
const NOFOLLOW: number | undefined = process.platform === "linux" ? constants.O_NOFOLLOW : undefined;
const FOLLOW_LINK = Symbol("follow link");

/** A file's bytes up to its end, starting with the size fstat gave (it may grow meanwhile, as readFile allows). */
function readToEnd(fd: number, size: number, rel: string): Uint8Array {
  try {
    const buffer = Buffer.allocUnsafe(size);
    let length = 0;
    while (length < size) {
      const n = readSync(fd, buffer, length, size - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length < size) return buffer.subarray(0, length);
    const more: Buffer[] = [];
    for (let total = length; ; ) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_FILE_BYTES) throw new SnapshotError(rel, "", `is more than the ${MAX_FILE_BYTES} bytes a snapshot file may have`);
      more.push(chunk.subarray(0, n));
    }
    return more.length ? Buffer.concat([buffer, ...more]) : buffer;
  } catch (error) {
    throw fileSystemError(rel, error as NodeJS.ErrnoException);
  }
}

function validate<S extends z.ZodType>(rel: string, json: unknown, schema: S): z.output<S> {
  const result = schema.safeParse(json);
  if (!result.success) throw snapshotErrorFromZod(rel, "$", result.error);
  return result.data;
}

/** A file system error as a SnapshotError naming the file (Node's own messages carry absolute paths or none). */
export function fileSystemError(rel: string, error: NodeJS.ErrnoException): SnapshotError {
  if (error instanceof SnapshotError) return error;
  const reasons: Record<string, string> = {
    EACCES: "cannot be read: permission denied",
    EPERM: "cannot be read: operation not permitted",
    EISDIR: "expected a file, found a directory",
    ENOTDIR: "expected a directory, found a file (here or in a parent directory)",
    ELOOP: "is a symbolic link loop",
    ENXIO: "expected a file, found a socket or device",
    EIO: "cannot be read: input/output error",
    ENAMETOOLONG: "path is too long",
    EMFILE: "cannot be opened: too many open files",
  };
  const reason = reasons[error.code ?? ""] ?? `cannot be read (${error.code ?? (error instanceof Error ? error.message : String(error))})`;
  return new SnapshotError(rel, "", reason);
}

function kindOf(entry: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isSymbolicLink(): boolean }): string {
  if (entry.isDirectory()) return "a directory";
  if (entry.isFIFO()) return "a FIFO (named pipe)";
  if (entry.isSocket()) return "a socket";
  if (entry.isSymbolicLink()) return "a symbolic link";
  if (entry.isFile()) return "a file";
  return "a device";
}
