-- Scans stored before issue 10 §1 kept "referenced names" read from environment values, and the
-- recommended policy built ARNs and Sids from them: a secret under an unrecognised name could sit
-- there. Forget the names; drop the recommendation of every function that had any (a rescan
-- computes it again from what the snapshot itself contains).
UPDATE "functions" SET "recommended_policy" = NULL
WHERE jsonb_typeof("environment") = 'array'
  AND EXISTS (
    SELECT 1 FROM jsonb_array_elements("environment") AS e
    WHERE jsonb_typeof(e -> 'referencedNames') = 'array' AND jsonb_array_length(e -> 'referencedNames') > 0
  );

UPDATE "functions" SET "environment" = (
  SELECT COALESCE(jsonb_agg(e - 'referencedNames'), '[]'::jsonb) FROM jsonb_array_elements("environment") AS e
)
WHERE jsonb_typeof("environment") = 'array' AND "environment"::text LIKE '%"referencedNames"%';
