// The dashboard page and the pages shown instead of it: one self-contained HTML document each, inline CSS,
// no script (the Content-Security-Policy in routes.ts forbids any).
import type { Cell } from '../domain/network/index.ts';
import type { DashboardData } from '../services/stats.ts';
import { escapeHtml, givesSvg, heatColour, heatmapSvg, meetRateSvg, trendSvg } from './charts.ts';

/** Windows offered on the page, in days. */
export const DASHBOARD_WINDOWS = [30, 90, 180, 365] as const;

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6474; --line: #e3e6eb; --accent: #006d5b; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f7f8fa; }
header { padding: 20px 24px 8px; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.05rem; margin: 0 0 12px; }
.sub { color: var(--muted); margin: 0; }
nav { margin: 12px 0 0; display: flex; gap: 8px; flex-wrap: wrap; }
nav a { padding: 4px 10px; border: 1px solid var(--line); border-radius: 999px; color: var(--ink); text-decoration: none; background: #fff; }
nav a[aria-current="page"] { background: var(--accent); border-color: var(--accent); color: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 12px 24px 24px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 16px; min-width: 0; }
.wide { grid-column: 1 / -1; }
.scroll { overflow-x: auto; }
svg { display: block; max-width: 100%; height: auto; }
svg[data-chart="heatmap"] { max-width: none; }
svg text { font: 13px system-ui, sans-serif; fill: var(--muted); }
svg text.label { fill: var(--ink); }
svg text.count { font-size: 11px; fill: var(--ink); }
svg text.count.on-dark { fill: #fff; }
svg .grid { stroke: var(--line); }
svg .line { stroke: var(--accent); stroke-width: 2.5; }
svg .point { fill: var(--accent); }
svg .point.hidden { fill: #b8bec8; }
svg .bar { fill: var(--accent); }
svg .bar.unknown { fill: #c9ced6; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; color: var(--muted); font-size: 13px; margin: 10px 0 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px; margin-right: 4px; border: 1px solid var(--line); }
.swatch.hatch { background: repeating-linear-gradient(45deg, #eef0f3 0 3px, #b8bec8 3px 5px); }
ol { margin: 0; padding-left: 1.2em; }
.empty { color: var(--muted); }
footer { max-width: 1200px; margin: 0 auto; padding: 0 24px 24px; color: var(--muted); font-size: 13px; }
@media (max-width: 560px) { header, main, footer { padding-left: 12px; padding-right: 12px; } .card { padding: 12px; } }
`;

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>`;
}

const dateOnly = (d: Date) =>
  d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

function describeCell(cell: Cell): string {
  if (cell.status === 'none') return 'never connected';
  if (cell.status === 'hidden') return 'a few connections (fewer than 3 people)';
  return `${cell.count.toLocaleString('en-US')} connections`;
}

/** The dashboard: heatmap, weekly trend, meet rate per round, gives by kind and least-connected pairs. */
/**
 * "Met" and "times agreed" for the window: a count of one group would point at its two or three people,
 * so a figure is shown only when it is 0 or covers at least 2 groups.
 */
function meetingsCard(m: { met: number; agreed: number } | undefined): string {
  if (!m) return '';
  const shown = (n: number) => (n === 0 || n >= 2 ? String(n) : 'too few to show');
  return `<section class="card" id="meetings"><h2>Intros that met and agreed a time</h2><p>met: <strong>${escapeHtml(shown(m.met))}</strong> · times agreed: <strong>${escapeHtml(shown(m.agreed))}</strong></p></section>`;
}

export function renderDashboard(
  data: DashboardData,
  opts: { days: number; expiresAt: Date; meetings?: { met: number; agreed: number } },
): string {
  const h = data.heatmap;
  const nav = DASHBOARD_WINDOWS.map(
    (d) => `<a href="?days=${d}"${d === opts.days ? ' aria-current="page"' : ''}>${d} days</a>`,
  ).join('');
  const notes: string[] = [];
  if (h.departmentsVisible > h.departments.length)
    notes.push(`Showing the ${h.departments.length} largest of ${h.departmentsVisible} departments.`);
  if (h.departmentsHidden > 0)
    notes.push(
      `${h.departmentsHidden} smaller ${h.departmentsHidden === 1 ? 'department' : 'departments'} (fewer than 3 people) left out.`,
    );
  const least = data.leastConnected.length
    ? `<ol>${data.leastConnected
        .map((p) => `<li>${escapeHtml(p.a)} ↔ ${escapeHtml(p.b)}: ${escapeHtml(describeCell(p.cell))}</li>`)
        .join('')}</ol>`
    : '<p class="empty">Not enough departments with at least 3 people yet.</p>';
  const name = data.workspaceName ? `${data.workspaceName} · ` : '';
  const body = `<header>
<h1>Weave network</h1>
<p class="sub">${escapeHtml(name)}last ${opts.days} days (${escapeHtml(dateOnly(data.window.from))} – ${escapeHtml(dateOnly(data.window.to))}) · connections are intros that met and gives · figures behind fewer than 3 people are never shown</p>
<nav aria-label="Time window">${nav}</nav>
</header>
<main>
<section class="card wide" id="heatmap"><h2>Who connects with whom</h2>
<div class="scroll">${heatmapSvg(h)}</div>
<p class="legend"><span><span class="swatch" style="background:#f6f7f9"></span>none</span><span><span class="swatch" style="background:${heatColour(1, 4)}"></span>few</span><span><span class="swatch" style="background:${heatColour(1, 1)}"></span>most</span><span><span class="swatch hatch"></span>fewer than 3 people, not shown</span>${notes.map((n) => `<span>${escapeHtml(n)}</span>`).join('')}</p>
</section>
<section class="card" id="trend"><h2>Cross-department connections per week</h2>${trendSvg(data.trend)}</section>
<section class="card" id="meet-rate"><h2>Meet rate per round</h2>${meetRateSvg(data.rounds)}</section>
${meetingsCard(opts.meetings)}
<section class="card" id="gives"><h2>Gives by kind</h2>${givesSvg(data.gives)}</section>
<section class="card" id="least-connected"><h2>Least-connected departments</h2>${least}</section>
</main>
<footer>Your dashboard session ends ${escapeHtml(opts.expiresAt.toISOString().slice(0, 16).replace('T', ' '))} UTC; then open it again from Weave's Home tab in Slack.</footer>`;
  return document('Weave · network dashboard', body);
}

/** The page shown instead of the dashboard (no link, bad link, expired link, no access). */
export function renderRefusal(title: string, message: string): string {
  return document(
    `Weave · ${title}`,
    `<header><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(message)}</p></header>`,
  );
}

/** Reloads `href` (same site) once, so the SameSite=Strict session cookie set a moment ago comes along. */
export function renderSigningIn(href: string): string {
  return document(
    'Weave · signing in',
    `<meta http-equiv="refresh" content="0;url=${escapeHtml(href)}"><header><h1>Opening the dashboard…</h1><p class="sub"><a href="${escapeHtml(href)}">Continue</a></p></header>`,
  );
}
