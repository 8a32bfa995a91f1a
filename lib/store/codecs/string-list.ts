/** Columns holding a list of strings (ARNs, regions, architectures, layers). */
import { z } from "zod";
import { jsonColumn } from "./json-column";

const strings = z.array(z.string());

export const attachedPolicyArnsCodec = jsonColumn<string[]>("roles", "attached_policy_arns", strings);
export const accountRegionsCodec = jsonColumn<string[]>("accounts", "regions", strings);
export const layersCodec = jsonColumn<string[]>("functions", "layers", strings);
export const architecturesCodec = jsonColumn<string[]>("functions", "architectures", strings);
/** A finding's actions and resources (null in findings that name none), which a view's text (`q`) searches. */
export const findingActionsCodec = jsonColumn<string[] | null>("findings", "actions", strings.nullable());
export const findingResourcesCodec = jsonColumn<string[] | null>("findings", "resources", strings.nullable());
