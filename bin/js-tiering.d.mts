export declare const INTERPRETED_SCAN_FUNCTIONS: number;
export declare function jsTieringFlags(command: string | undefined, snapshotFunctions: number | null): string[];
