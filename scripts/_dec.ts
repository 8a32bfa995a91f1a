import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { indexSnapshot } from "@/lib/analysis/snapshot-index";
import { effectivePermissions } from "@/lib/analysis/effective-permissions";
import { decide } from "@/lib/analysis/permission-queries";
import { resolveFunction } from "@/lib/analysis/can";
const idx = indexSnapshot(await readSnapshotDir("samples/acme"));
const [fnName, action, resource] = process.argv.slice(2);
const fn = resolveFunction(idx, fnName);
console.log(JSON.stringify(decide(effectivePermissions(idx, fn.roleArn), action, resource), null, 1));
