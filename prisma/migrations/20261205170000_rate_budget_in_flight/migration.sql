-- The shared rate budget tells calls in flight from completed ones: a window after a completed call is
-- counted from its completion (Slack counted it before answering) with little headroom; after a call still
-- in flight, from its start with room for how late it may reach Slack.
ALTER TABLE "RateBudget" ADD COLUMN "pending" BIGINT[] DEFAULT ARRAY[]::BIGINT[];

-- Reserves the next call, as weave_rate_take(4) did, spacing it from the p_limit-th latest call by
-- p_window_ms when that call has completed and p_in_flight_window_ms while it is in flight. The slot is
-- recorded in the log and as in flight. (The four-argument version stays for replicas not yet upgraded.)
CREATE FUNCTION weave_rate_take(
  p_workspace TEXT, p_method TEXT, p_limit INTEGER, p_window_ms BIGINT, p_in_flight_window_ms BIGINT
)
RETURNS TABLE (start_ms BIGINT, now_ms BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
  calls BIGINT[];
  flying BIGINT[];
  blocked BIGINT;
  t BIGINT;
  slot BIGINT;
  earlier BIGINT;
  n INTEGER;
BEGIN
  INSERT INTO "RateBudget" ("workspaceId", "method") VALUES (p_workspace, p_method) ON CONFLICT DO NOTHING;
  SELECT "starts", "pending", "blockedUntil" INTO calls, flying, blocked FROM "RateBudget"
    WHERE "workspaceId" = p_workspace AND "method" = p_method FOR UPDATE;
  t := floor(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
  slot := GREATEST(t, blocked);
  n := coalesce(array_length(calls, 1), 0);
  IF n >= p_limit THEN
    earlier := calls[n - p_limit + 1];
    slot := GREATEST(slot, earlier + CASE WHEN earlier = ANY(flying) THEN p_in_flight_window_ms ELSE p_window_ms END);
  END IF;
  calls := ARRAY(
    SELECT x FROM (SELECT x FROM unnest(calls || slot) AS x ORDER BY x DESC LIMIT p_limit) AS latest ORDER BY x
  );
  -- Calls that fell out of the log no longer space anything (nor do calls whose process died in flight).
  flying := ARRAY(SELECT x FROM unnest(flying || slot) AS x WHERE x >= calls[1]);
  UPDATE "RateBudget" SET "starts" = calls, "pending" = flying, "updatedAt" = clock_timestamp()
    WHERE "workspaceId" = p_workspace AND "method" = p_method;
  start_ms := slot;
  now_ms := t;
  RETURN NEXT;
END
$$;

-- The call reserved at p_start has completed: that one entry of the log moves to now (never earlier than
-- its start) and it is no longer in flight. Other calls reserved for the same millisecond are untouched.
CREATE FUNCTION weave_rate_done(p_workspace TEXT, p_method TEXT, p_start BIGINT)
RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  calls BIGINT[];
  flying BIGINT[];
  i INTEGER;
  t BIGINT;
BEGIN
  SELECT "starts", "pending" INTO calls, flying FROM "RateBudget"
    WHERE "workspaceId" = p_workspace AND "method" = p_method FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  t := floor(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
  i := array_position(flying, p_start);
  IF i IS NOT NULL THEN
    flying := flying[1:i - 1] || flying[i + 1:];
  END IF;
  i := array_position(calls, p_start);
  IF i IS NOT NULL THEN
    calls := ARRAY(SELECT x FROM unnest(calls[1:i - 1] || GREATEST(p_start, t) || calls[i + 1:]) AS x ORDER BY x);
  END IF;
  UPDATE "RateBudget" SET "starts" = calls, "pending" = flying, "updatedAt" = clock_timestamp()
    WHERE "workspaceId" = p_workspace AND "method" = p_method;
END
$$;
