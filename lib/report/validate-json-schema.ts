/** JSON Schema validation (draft 2020-12 and draft-07) for our report schema and SARIF. */
import Ajv2020Module from "ajv/dist/2020.js";
import AjvModule from "ajv";
import addFormatsModule from "ajv-formats";

type Ctor = new (opts: object) => { validate(schema: object, data: unknown): boolean; errors?: unknown[] | null; addMetaSchema?: unknown };
// ajv ships CommonJS: under ESM the class may sit on `.default`.
const pick = <T,>(m: unknown): T => ((m as { default?: T }).default ?? (m as T));

export function validateJsonSchema(schema: object, data: unknown): { valid: boolean; errors: unknown[] } {
  const draft2020 = String((schema as { $schema?: string }).$schema ?? "").includes("2020-12");
  const Ajv = pick<Ctor>(draft2020 ? Ajv2020Module : AjvModule);
  const ajv = new Ajv({ allErrors: true, strict: false });
  pick<(a: unknown) => void>(addFormatsModule)(ajv);
  const valid = ajv.validate(schema, data);
  return { valid, errors: ajv.errors ?? [] };
}
