import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
const t = performance.now();
const s = await readSnapshotDir(process.argv[2]);
const c = process.cpuUsage();
console.log("read", ((performance.now() - t) / 1000).toFixed(2), "s; cpu", ((c.user + c.system) / 1e6).toFixed(2), s.accounts.length);
