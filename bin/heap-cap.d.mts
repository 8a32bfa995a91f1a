export declare const HEAP_FIXED_MIB: number;
export declare const HEAP_KIB_PER_FUNCTION: number;
export declare function analysisHeapMb(functions: number, options: { configured?: number; defaultMb: number; machineMb: number }): number;
export declare function snapshotFunctionCount(dir: string, atMost?: number): number;
export declare function snapshotOption(args: string[]): string | null;
