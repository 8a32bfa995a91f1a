export declare const LIFTOFF_ONLY_SCAN_FUNCTIONS: number;
export declare const SNAPSHOT_SCANS: Set<string>;
export declare function wasmTieringFlags(command: string | undefined, snapshotFunctions: number | null): string[];
