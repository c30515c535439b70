// Server-rendered SVG charts for the dashboard: plain strings, no script, no build step. Every text that
// came from people (department names) is escaped; hidden (k-anonymous) figures are drawn as hatched or
// grey marks and never carry their number.
import { GIVE_KIND_INFO } from '../domain/gives/kinds.ts';
import type { Cell, Heatmap, KindCount, RoundSummary, WeekPoint } from '../domain/network/index.ts';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const short = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const fmt = (n: number) => n.toLocaleString('en-US');
const dayMonth = (d: Date) =>
  d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Colour of a shown count on a scale from pale to deep teal. */
export function heatColour(count: number, max: number): string {
  const t = max > 0 ? Math.min(1, Math.max(0, count / max)) : 0;
  // Square-root scale so small counts are still visible next to a large maximum.
  const s = Math.sqrt(t);
  const from = [204, 236, 230];
  const to = [0, 109, 91];
  const c = from.map((f, i) => Math.round(f + ((to[i] ?? f) - f) * s));
  return `rgb(${c.join(',')})`;
}

function cellTitle(a: string, b: string, cell: Cell): string {
  const pair = a === b ? `Within ${a}` : `${a} ↔ ${b}`;
  if (cell.status === 'none') return `${pair}: no connections`;
  if (cell.status === 'hidden') return `${pair}: fewer than 3 people, not shown`;
  // No count of the people behind a cell: with the department sizes it would narrow down who connected.
  return `${pair}: ${fmt(cell.count)} connections`;
}

/** A department's size as labelled: small ones only as a range, so no label pins down a few people. */
export function departmentSize(people: number): string {
  return people < 10 ? 'fewer than 10 people' : `${fmt(people)} people`;
}

/** The department × department heatmap. */
export function heatmapSvg(h: Heatmap): string {
  const n = h.departments.length;
  if (n === 0) {
    return '<p class="empty" data-empty="heatmap">Not enough to show yet: a department appears once it has at least 3 people.</p>';
  }
  const cell = n > 24 ? 20 : n > 10 ? 28 : 36;
  const left = 170;
  const top = 120;
  // Room on the right for the last column's slanted label.
  const width = left + n * cell + 110;
  const height = top + n * cell + 10;
  const parts: string[] = [
    `<svg data-chart="heatmap" role="img" aria-label="Connections between departments" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">`,
    '<defs><pattern id="hidden-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef0f3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b8bec8" stroke-width="2"/></pattern></defs>',
  ];
  h.departments.forEach((d, i) => {
    const name = escapeHtml(short(d.name, 24));
    const full = escapeHtml(`${d.name} (${departmentSize(d.people)})`);
    const y = top + i * cell + cell / 2;
    parts.push(
      `<text class="label" x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle"><title>${full}</title>${name}</text>`,
    );
    const x = left + i * cell + cell / 2;
    parts.push(
      `<text class="label" x="${x}" y="${top - 8}" transform="rotate(-45 ${x} ${top - 8})"><title>${full}</title>${name}</text>`,
    );
  });
  h.grid.forEach((row, i) => {
    row.forEach((c, j) => {
      const a = h.departments[i]?.name ?? '';
      const b = h.departments[j]?.name ?? '';
      const fill =
        c.status === 'shown'
          ? heatColour(c.count, h.maxCount)
          : c.status === 'hidden'
            ? 'url(#hidden-hatch)'
            : '#f6f7f9';
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(
        `<rect class="cell" data-status="${c.status}" x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" rx="3" fill="${fill}"><title>${escapeHtml(cellTitle(a, b, c))}</title></rect>`,
      );
      if (c.status === 'shown' && cell >= 28) {
        const dark = h.maxCount > 0 && c.count / h.maxCount > 0.35;
        parts.push(
          `<text class="count${dark ? ' on-dark' : ''}" x="${x + (cell - 2) / 2}" y="${y + (cell - 2) / 2}" text-anchor="middle" dominant-baseline="central">${c.count > 999 ? '1k+' : c.count}</text>`,
        );
      }
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

// Chart size in SVG units: close to a card's width on a laptop, so text scales little on a phone.
const W = 520;
const H = 240;
const PAD = { left: 44, right: 12, top: 14, bottom: 40 };

/** The smallest round number ≥ `value` that splits into four even whole steps (1–8 × 10ⁿ each). */
export function niceMax(value: number): number {
  const raw = Math.max(1, value) / 4;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(raw)));
  const step = [1, 2, 3, 4, 5, 6, 8, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Math.max(4, step * 4);
}

function axisY(max: number, format: (v: number) => string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const inner = H - PAD.top - PAD.bottom;
  return ticks
    .map((t) => {
      const y = PAD.top + inner * (1 - t);
      return `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/><text class="tick" x="${PAD.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${format(max * t)}</text>`;
    })
    .join('');
}

/** Weekly cross-department connections as a line over the weeks; hidden weeks show as grey dots at zero. */
export function trendSvg(points: WeekPoint[]): string {
  if (points.length === 0) return '<p class="empty">No weeks in this window.</p>';
  const max = niceMax(Math.max(4, ...points.map((p) => (p.cell.status === 'shown' ? p.cell.count : 0))));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? innerW / 2 : (innerW * i) / (points.length - 1));
  const y = (v: number) => PAD.top + innerH * (1 - v / max);
  const parts = [
    `<svg data-chart="trend" role="img" aria-label="Cross-department connections per week" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg">`,
    axisY(max, (v) => fmt(Math.round(v))),
  ];
  // Line segments only between weeks whose figure is known (hidden weeks break the line).
  let path = '';
  points.forEach((p, i) => {
    const v = p.cell.status === 'shown' ? p.cell.count : p.cell.status === 'none' ? 0 : null;
    if (v === null) {
      path += ' ';
      return;
    }
    path += `${path === '' || path.endsWith(' ') ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  parts.push(`<path class="line" d="${path.trim()}" fill="none"/>`);
  points.forEach((p, i) => {
    const label = `Week of ${dayMonth(p.weekStart)}: ${
      p.cell.status === 'shown'
        ? `${fmt(p.cell.count)} connections`
        : p.cell.status === 'none'
          ? 'none'
          : 'fewer than 3 people, not shown'
    }`;
    const v = p.cell.status === 'shown' ? p.cell.count : 0;
    parts.push(
      `<circle class="point ${p.cell.status}" data-status="${p.cell.status}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="4"><title>${escapeHtml(label)}</title></circle>`,
    );
  });
  const every = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((p, i) => {
    if (i % every === 0)
      parts.push(
        `<text class="tick" x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 18}" text-anchor="middle">${escapeHtml(dayMonth(p.weekStart))}</text>`,
      );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Meet rate per round as bars (0–100 %); hidden rounds are grey stubs without a figure. */
export function meetRateSvg(rounds: Array<RoundSummary & { channelId: string }>): string {
  if (rounds.length === 0) return '<p class="empty" data-empty="meet-rate">No rounds yet.</p>';
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / rounds.length;
  const barW = Math.max(4, Math.min(36, slot * 0.7));
  const parts = [
    `<svg data-chart="meet-rate" role="img" aria-label="Meet rate per round" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg">`,
    axisY(100, (v) => `${Math.round(v)}%`),
  ];
  const every = Math.max(1, Math.ceil(rounds.length / 12));
  rounds.forEach((r, i) => {
    const cx = PAD.left + slot * i + slot / 2;
    const rate = !r.hidden && r.meetRate !== null ? r.meetRate : null;
    const h = rate === null ? 3 : Math.max(2, innerH * rate);
    const label = r.hidden
      ? `Round ${r.number}: fewer than 3 people, not shown`
      : rate === null
        ? `Round ${r.number}: ${fmt(r.participants)} people, meet rate not shown yet`
        : `Round ${r.number}: ${fmt(r.participants)} people, ${fmt(r.met ?? 0)} of ${fmt(r.delivered)} groups met (${Math.round(rate * 100)}%)`;
    parts.push(
      `<rect class="bar${rate === null ? ' unknown' : ''}" data-status="${rate === null ? 'hidden' : 'shown'}" x="${(cx - barW / 2).toFixed(1)}" y="${(PAD.top + innerH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" rx="2"><title>${escapeHtml(label)}</title></rect>`,
    );
    if (i % every === 0)
      parts.push(
        `<text class="tick" x="${cx.toFixed(1)}" y="${H - PAD.bottom + 18}" text-anchor="middle">#${r.number}</text>`,
      );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Gives per kind as horizontal bars. */
export function givesSvg(kinds: KindCount[]): string {
  const rowH = 36;
  const left = 150;
  const height = kinds.length * rowH + 16;
  const max = Math.max(1, ...kinds.map((k) => (k.cell.status === 'shown' ? k.cell.count : 0)));
  const parts = [
    `<svg data-chart="gives" role="img" aria-label="Gives by kind" viewBox="0 0 ${W} ${height}" xmlns="http://www.w3.org/2000/svg">`,
  ];
  kinds.forEach((k, i) => {
    const y = 8 + i * rowH;
    const label = GIVE_KIND_INFO[k.kind].label;
    const width = k.cell.status === 'shown' ? Math.max(3, ((W - left - 70) * k.cell.count) / max) : 3;
    const value =
      k.cell.status === 'shown' ? fmt(k.cell.count) : k.cell.status === 'none' ? '0' : 'fewer than 3 people';
    parts.push(
      `<text class="label" x="${left - 10}" y="${y + rowH / 2 - 4}" text-anchor="end" dominant-baseline="middle">${escapeHtml(label)}</text>`,
      `<rect class="bar${k.cell.status === 'shown' ? '' : ' unknown'}" data-status="${k.cell.status}" data-kind="${k.kind}" x="${left}" y="${y}" width="${width.toFixed(1)}" height="${rowH - 12}" rx="3"><title>${escapeHtml(`${label}: ${value}`)}</title></rect>`,
      `<text class="tick" x="${left + width + 8}" y="${y + rowH / 2 - 4}" dominant-baseline="middle">${escapeHtml(value)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
