-- `usage:read` is a scope of its own (issue 11): `inference` and `read` no longer imply it. Keys that could read the
-- account's usage before and are not restricted to some models keep that access; restricted keys lose it (a key
-- for one model must not read what the account's other keys did).
UPDATE "ApiKey" SET "scopes" = json_insert("scopes", '$[#]', 'usage:read')
WHERE json_valid("scopes") AND json_type("scopes") = 'array'
  AND NOT EXISTS (SELECT 1 FROM json_each("ApiKey"."scopes") WHERE "value" LIKE 'task:%' OR "value" LIKE 'model:%' OR "value" = 'usage:read');
