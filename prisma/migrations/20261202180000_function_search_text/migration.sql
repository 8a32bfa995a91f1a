-- The risk view's text search matches a function by its name, ARN, role or runtime: one
-- lower-cased text per function, made by the database as the verdict copy is written, instead of
-- four lower() calls per function on every search (lib/queries/view-sql.ts).
ALTER TABLE "function_verdicts" ADD COLUMN "search_text" TEXT GENERATED ALWAYS AS (lower("name" || chr(10) || "arn" || chr(10) || "role_arn" || chr(10) || coalesce("runtime", ''))) STORED;
