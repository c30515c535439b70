-- Dashboard links work once: the nonce of every opened link, until the link would have expired anyway.
CREATE TABLE "DashboardLinkUse" (
    "workspaceId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DashboardLinkUse_pkey" PRIMARY KEY ("workspaceId","nonce")
);

CREATE INDEX "DashboardLinkUse_expiresAt_idx" ON "DashboardLinkUse"("expiresAt");
