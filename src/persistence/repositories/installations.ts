import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { SecretBox } from '../crypto.ts';
import type { Prisma } from '../database.ts';

/** The key of an install: org-wide Enterprise Grid installs are per enterprise, others per team. */
export function installKeyOf(q: {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
}): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `E:${q.enterpriseId}`;
  if (q.teamId) return `T:${q.teamId}`;
  if (q.enterpriseId) return `E:${q.enterpriseId}`;
  throw new Error('an installation needs a team or an enterprise id');
}

/** OAuth installations, bot tokens encrypted at rest; implements Bolt's InstallationStore. */
export function createInstallationRepository(prisma: Prisma, box: SecretBox, now: () => Date) {
  async function rowFor(q: {
    teamId?: string | undefined;
    enterpriseId?: string | undefined;
    isEnterpriseInstall?: boolean;
  }) {
    const keys = [
      ...(q.isEnterpriseInstall && q.enterpriseId ? [`E:${q.enterpriseId}`] : []),
      ...(q.teamId ? [`T:${q.teamId}`] : []),
      // A workspace of an org that installed Weave org-wide uses the enterprise install.
      ...(q.enterpriseId ? [`E:${q.enterpriseId}`] : []),
    ];
    for (const key of keys) {
      const row = await prisma.installation.findUnique({ where: { installKey: key } });
      if (row?.tokenCiphertext && row.dataCiphertext) return row;
    }
    return null;
  }

  const store: InstallationStore = {
    async storeInstallation(installation: Installation) {
      const isEnterpriseInstall = Boolean(installation.isEnterpriseInstall);
      const enterpriseId = installation.enterprise?.id;
      const teamId = installation.team?.id;
      const installKey = installKeyOf({ isEnterpriseInstall, enterpriseId, teamId });
      const workspaceId = isEnterpriseInstall ? (enterpriseId as string) : (teamId as string);
      const token = installation.bot?.token;
      if (!token) throw new Error('Weave needs a bot token: the install did not include one');
      const data = {
        workspaceId,
        enterpriseId: enterpriseId ?? null,
        teamId: teamId ?? null,
        isEnterpriseInstall,
        botUserId: installation.bot?.userId ?? null,
        botId: installation.bot?.id ?? null,
        // Bound to the install key: a ciphertext copied onto another installation's row does not open.
        tokenCiphertext: box.encrypt(token, installKey),
        dataCiphertext: box.encrypt(JSON.stringify(installation), installKey),
        revokedAt: null,
      };
      await prisma.workspace.createMany({
        data: [{ id: workspaceId, enterpriseId: enterpriseId ?? null }],
        skipDuplicates: true,
      });
      // A reinstall brings the workspace back: no data deletion pending any more.
      await prisma.workspace.update({
        where: { id: workspaceId },
        data: {
          uninstalledAt: null,
          purgeAfter: null,
          installedAt: now(),
          name: installation.team?.name ?? installation.enterprise?.name ?? '',
        },
      });
      await prisma.installation.createMany({ data: [{ installKey, ...data }], skipDuplicates: true });
      await prisma.installation.update({ where: { installKey }, data });
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await rowFor(query);
      if (!row?.dataCiphertext) throw new Error(`no installation for ${query.teamId ?? query.enterpriseId}`);
      return JSON.parse(box.decrypt(row.dataCiphertext, row.installKey)) as Installation;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      const row = await rowFor(query);
      if (row) {
        await prisma.installation.update({
          where: { id: row.id },
          data: { tokenCiphertext: null, dataCiphertext: null, revokedAt: now() },
        });
      }
    },
  };

  return {
    store,
    /** The bot token for a workspace (its own install, or its enterprise's org-wide install). */
    async tokenFor(workspaceId: string): Promise<string | null> {
      const ws = await prisma.workspace.findUnique({
        where: { id: workspaceId },
        select: { enterpriseId: true },
      });
      const row = await rowFor({
        teamId: workspaceId,
        enterpriseId: ws?.enterpriseId ?? undefined,
        isEnterpriseInstall: false,
      });
      return row?.tokenCiphertext ? box.decrypt(row.tokenCiphertext, row.installKey) : null;
    },
    /**
     * Fails loudly when ENCRYPTION_KEY cannot open the stored tokens (a changed key would otherwise
     * only show later, as every Slack call failing).
     */
    async verifyKey(): Promise<void> {
      const sample = await prisma.installation.findFirst({
        where: { tokenCiphertext: { not: null } },
        orderBy: { updatedAt: 'desc' },
      });
      if (!sample?.tokenCiphertext) return;
      try {
        box.decrypt(sample.tokenCiphertext, sample.installKey);
      } catch (error) {
        throw new Error(
          'ENCRYPTION_KEY does not open the stored Slack tokens. Use the key they were encrypted with (or reinstall the app after changing it).',
          { cause: error },
        );
      }
    },
    /**
     * Re-encrypts every stored token and installation under the first (newest) key of ENCRYPTION_KEY, in
     * today's format (`npm run keys:rotate`). Rows already there are left alone, so a re-run is harmless;
     * each row is rewritten only if it still holds what was read (a concurrent reinstall wins).
     */
    async reencryptAll(): Promise<{ rewritten: number; current: number }> {
      const rows = await prisma.installation.findMany({
        where: { OR: [{ tokenCiphertext: { not: null } }, { dataCiphertext: { not: null } }] },
        select: { id: true, installKey: true, tokenCiphertext: true, dataCiphertext: true },
        orderBy: { id: 'asc' },
      });
      let rewritten = 0;
      let current = 0;
      for (const row of rows) {
        const stale = [row.tokenCiphertext, row.dataCiphertext].some((c) => c !== null && box.isStale(c));
        if (!stale) {
          current += 1;
          continue;
        }
        const again = (c: string | null) =>
          c === null ? null : box.encrypt(box.decrypt(c, row.installKey), row.installKey);
        const r = await prisma.installation.updateMany({
          where: { id: row.id, tokenCiphertext: row.tokenCiphertext, dataCiphertext: row.dataCiphertext },
          data: { tokenCiphertext: again(row.tokenCiphertext), dataCiphertext: again(row.dataCiphertext) },
        });
        rewritten += r.count;
      }
      return { rewritten, current };
    },
  };
}
export type InstallationRepository = ReturnType<typeof createInstallationRepository>;
