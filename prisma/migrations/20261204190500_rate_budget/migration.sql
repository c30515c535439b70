-- One rate budget per workspace and Slack method, shared by every replica on this database.
CREATE TABLE "RateBudget" (
    "workspaceId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "starts" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    "blockedUntil" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RateBudget_pkey" PRIMARY KEY ("workspaceId","method")
);

-- Reserves the next call of a method in a workspace: the call may start when it would be the
-- `p_limit`-th within the last `p_window_ms` (a sliding log, as Slack counts), and not before a 429's
-- block ends. Returns that start and the database's now (ms), so the caller waits the difference.
-- One round trip; the row lock is held only while the function runs, and the time is read after the
-- lock is taken (a replica that waited for the lock must not reserve a slot in the past).
CREATE FUNCTION weave_rate_take(p_workspace TEXT, p_method TEXT, p_limit INTEGER, p_window_ms BIGINT)
RETURNS TABLE (start_ms BIGINT, now_ms BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
  calls BIGINT[];
  blocked BIGINT;
  t BIGINT;
  slot BIGINT;
  n INTEGER;
BEGIN
  INSERT INTO "RateBudget" ("workspaceId", "method") VALUES (p_workspace, p_method) ON CONFLICT DO NOTHING;
  SELECT "starts", "blockedUntil" INTO calls, blocked FROM "RateBudget"
    WHERE "workspaceId" = p_workspace AND "method" = p_method FOR UPDATE;
  t := floor(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
  slot := GREATEST(t, blocked);
  n := coalesce(array_length(calls, 1), 0);
  IF n >= p_limit THEN
    slot := GREATEST(slot, calls[n - p_limit + 1] + p_window_ms);
  END IF;
  calls := ARRAY(
    SELECT x FROM (SELECT x FROM unnest(calls || slot) AS x ORDER BY x DESC LIMIT p_limit) AS latest ORDER BY x
  );
  UPDATE "RateBudget" SET "starts" = calls, "updatedAt" = clock_timestamp()
    WHERE "workspaceId" = p_workspace AND "method" = p_method;
  start_ms := slot;
  now_ms := t;
  RETURN NEXT;
END
$$;
