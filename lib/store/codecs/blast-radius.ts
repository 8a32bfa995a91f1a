/**
 * A function's stored blast radius (`functions.blast_radius`, without the permission set's part)
 * and its permission set's part (`permission_sets.services` / `data_stores`), joined on read.
 */
import { z } from "zod";
import type { BlastRadius } from "@/lib/analysis/types";
import type { StoredBlastRadius } from "@/lib/store/scan-rows";
import { jsonColumn, type RowRef } from "./json-column";

const dataStoreList = z.array(z.looseObject({ service: z.string(), resource: z.string(), actions: z.array(z.string()), conditional: z.boolean() }));
const dataStoresSchema = z.looseObject({ read: dataStoreList, write: dataStoreList, delete: dataStoreList });
const servicesSchema = z.array(z.looseObject({ service: z.string(), levels: z.array(z.looseObject({ level: z.string(), actionCount: z.number() })) }));

/** Older scans stored the whole radius here (services and data stores included). */
export const storedBlastRadiusCodec = jsonColumn<(StoredBlastRadius & Partial<Pick<BlastRadius, "services" | "dataStores">>) | null>(
  "functions",
  "blast_radius",
  z
    .looseObject({
      rolesPassable: z.array(z.string()),
      rolesAssumable: z.array(z.string()),
      reachableFunctions: z.array(z.looseObject({ arn: z.string() })),
      escalationPaths: z.array(z.looseObject({ method: z.string(), title: z.string() })),
      totals: z.looseObject({ actions: z.number(), services: z.number(), resources: z.number(), reachableFunctions: z.number() }),
      services: servicesSchema.optional(),
      dataStores: dataStoresSchema.optional(),
    })
    .nullable(),
);

export const permissionSetServicesCodec = jsonColumn<BlastRadius["services"]>("permission_sets", "services", servicesSchema);
export const permissionSetDataStoresCodec = jsonColumn<BlastRadius["dataStores"]>("permission_sets", "data_stores", dataStoresSchema);

/** A permission set's part of the blast radius, decoded. */
export interface PermissionSetPart {
  services: BlastRadius["services"];
  dataStores: BlastRadius["dataStores"];
}

export function decodePermissionSet(row: { permissionsKey: string; services: unknown; dataStores: unknown }, scanId: number): PermissionSetPart {
  const ref: RowRef = { scanId, key: row.permissionsKey };
  return { services: permissionSetServicesCodec.decode(row.services, ref), dataStores: permissionSetDataStoresCodec.decode(row.dataStores, ref) };
}

/** The whole blast radius of a function: its stored part with its permission set's. */
export function decodeBlastRadius(stored: unknown, permissionSet: PermissionSetPart | null | undefined, row: RowRef): BlastRadius | null {
  const radius = storedBlastRadiusCodec.decode(stored, row);
  if (!radius) return null;
  if (radius.services) return radius as BlastRadius;
  return { ...radius, services: permissionSet?.services ?? [], dataStores: permissionSet?.dataStores ?? { read: [], write: [], delete: [] } };
}
