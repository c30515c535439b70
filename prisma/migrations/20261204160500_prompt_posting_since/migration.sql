-- A post whose outcome is unknown (its answer was lost): the next attempt looks for it first.
ALTER TABLE "Prompt" ADD COLUMN "postingSince" TIMESTAMP(3);
