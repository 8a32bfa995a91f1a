export declare const LIFTOFF_ONLY_SCAN_FUNCTIONS: number;
export declare function scansSnapshotOfAtMost(command: string | undefined, snapshotFunctions: number | null, most: number): boolean;
export declare function wasmTieringFlags(command: string | undefined, snapshotFunctions: number | null): string[];
