-- Nobody is told who said no to an intro: notices to introducers no longer keep the decliner's id.
UPDATE "Prompt" SET "payload" = "payload" - 'declinedBy'
WHERE "kind" = 'intro_closed' AND jsonb_exists("payload", 'declinedBy');
