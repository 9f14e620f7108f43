-- A final table as Airbyte's destination-postgres 3.x (Direct Load) creates it for a stream "users"
-- (PostgresDirectLoadSqlGenerator.createTable and createIndexes, PostgresColumnUtils' types: varchar,
-- bigint, decimal, boolean, date, time with time zone, time, timestamp with time zone, timestamp,
-- jsonb), with two rows it wrote in generation 5: random (version 4) raw ids, as Airbyte's are.
-- SCHEMA is replaced by the test's schema.
CREATE TABLE IF NOT EXISTS "SCHEMA"."users" (
  "_airbyte_raw_id" varchar NOT NULL,
  "_airbyte_extracted_at" timestamp with time zone NOT NULL,
  "_airbyte_meta" jsonb NOT NULL,
  "_airbyte_generation_id" bigint NOT NULL,
  "id" bigint,
  "name" varchar,
  "score" decimal,
  "active" boolean,
  "birthday" date,
  "wakes_at" time with time zone,
  "lunch_at" time,
  "updated_at" timestamp with time zone,
  "local_updated_at" timestamp,
  "address" jsonb,
  "tags" jsonb
);
CREATE INDEX IF NOT EXISTS "idx_pk_users" ON "SCHEMA"."users" ("id");
CREATE INDEX IF NOT EXISTS "idx_cursor_users" ON "SCHEMA"."users" ("updated_at");
CREATE INDEX IF NOT EXISTS "idx_extracted_at_users" ON "SCHEMA"."users" ("_airbyte_extracted_at");
INSERT INTO "SCHEMA"."users" VALUES
  ('0f8fad5b-d9cb-469f-a165-70867728950e', '2024-01-10T00:00:00Z', '{"sync_id": 7, "changes": []}', 5,
   1, 'Alice', 1.25, true, '1990-01-01', '07:00:00+02', '12:30:00', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00',
   '{"city": "Paris"}', '["a", "b"]'),
  ('7c9e6679-7425-40de-944b-e07fc1f90ae7', '2024-01-10T00:00:00Z', '{"sync_id": 7, "changes": []}', 5,
   2, 'Bob', 2.5, false, '1985-06-15', '06:00:00+00', '13:00:00', '2024-06-01T00:00:00Z', '2024-06-01T00:00:00',
   '{"city": "Oslo"}', '[]');
