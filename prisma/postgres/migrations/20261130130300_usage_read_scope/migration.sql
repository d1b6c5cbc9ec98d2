-- `usage:read` is a scope of its own (issue 11): `inference` and `read` no longer imply it. Keys that could read the
-- account's usage before and are not restricted to some models keep that access; restricted keys lose it (a key
-- for one model must not read what the account's other keys did).
UPDATE "ApiKey" SET "scopes" = "scopes" || '["usage:read"]'::jsonb
WHERE jsonb_typeof("scopes") = 'array'
  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text("ApiKey"."scopes") AS s(v) WHERE v LIKE 'task:%' OR v LIKE 'model:%' OR v = 'usage:read');
