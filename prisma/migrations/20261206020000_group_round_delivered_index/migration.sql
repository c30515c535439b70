-- After each group of a round is delivered, Weave asks whether any of the round's groups is still waiting.
-- Counting them visited every group of the round each time (quadratic in a round's size: 5,000 groups
-- cost ~5 s on PGlite); with deliveredAt in the index the first waiting group is found directly. The
-- composite index serves lookups by round alone too, so it replaces the old one.
DROP INDEX "Group_roundId_idx";
CREATE INDEX "Group_roundId_deliveredAt_idx" ON "Group"("roundId", "deliveredAt");
