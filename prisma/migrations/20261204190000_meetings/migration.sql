-- Meetings that happen: members' working hours, the slots suggested in each intro, who picked which,
-- and the time a group agreed on.
ALTER TABLE "Member" ADD COLUMN "workingHours" JSONB;

ALTER TABLE "Group" ADD COLUMN "slots" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "moreSlotsOffered" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "meetingAt" TIMESTAMP(3),
ADD COLUMN "agreedAt" TIMESTAMP(3);

ALTER TABLE "GroupMember" ADD COLUMN "pickedSlot" TIMESTAMP(3);
