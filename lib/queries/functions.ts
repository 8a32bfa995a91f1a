import "server-only";
import { getDb } from "@/lib/server/db";
import { listFunctionsIn, type FunctionList, type FunctionListParams } from "./function-list";

export { FUNCTION_SORTS, type FunctionList, type FunctionListParams, type FunctionRow, type FunctionSort } from "./function-list";

/** The risk view: the scan view through the one view filter, sorted and paged. */
export async function listFunctions(params: FunctionListParams): Promise<FunctionList> {
  return listFunctionsIn(await getDb(), params);
}
