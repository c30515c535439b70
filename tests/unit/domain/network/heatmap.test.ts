import { describe, expect, it } from 'vitest';
import {
  buildConnectionMatrix,
  buildHeatmap,
  cellOf,
  leastConnectedPairs,
  type Meeting,
  MIN_PEOPLE,
  type NetworkPerson,
} from '../../../../src/domain/network/index.ts';

const at = new Date('2026-11-10T10:00:00Z');
const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

/** `n` active people of `department`, ids like `eng-1`. */
function staff(
  department: string,
  n: number,
  prefix = department.slice(0, 3).toLowerCase(),
): NetworkPerson[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i + 1}`, department, active: true }));
}
const met = (...members: string[]): Meeting => ({ members, at });

describe('k-anonymous cells', () => {
  it('shows a figure only when at least 3 distinct people are behind it; zero is shown as none', () => {
    expect(MIN_PEOPLE).toBe(3);
    expect(cellOf(0, 0)).toEqual({ status: 'none' });
    expect(cellOf(1, 2)).toEqual({ status: 'hidden' });
    expect(cellOf(5, 2)).toEqual({ status: 'hidden' });
    expect(cellOf(2, 3)).toEqual({ status: 'shown', count: 2, people: 3 });
  });
});

describe('heatmap', () => {
  const people = [
    ...staff('Engineering', 5),
    ...staff('Sales', 4),
    ...staff('Design', 3),
    ...staff('Legal', 2),
  ];

  it('hides a pair connected by only two people and shows one with three', () => {
    const m = buildConnectionMatrix({
      people,
      // Engineering↔Sales: one pair, the same two people twice (2 people) → hidden.
      // Engineering↔Design: a trio → 3 people → shown.
      meetings: [met('eng-1', 'sal-1'), met('eng-1', 'sal-1'), met('eng-2', 'des-1'), met('eng-3', 'des-1')],
      gives: [],
      window,
    });
    const h = buildHeatmap(m, { limit: 10 });
    const index = (name: string) => h.departments.findIndex((d) => d.name === name);
    expect(h.grid[index('Engineering')]?.[index('Sales')]).toEqual({ status: 'hidden' });
    expect(h.grid[index('Engineering')]?.[index('Design')]).toEqual({ status: 'shown', count: 2, people: 3 });
    expect(h.grid[index('Design')]?.[index('Engineering')]).toEqual({ status: 'shown', count: 2, people: 3 });
    expect(h.grid[index('Sales')]?.[index('Design')]).toEqual({ status: 'none' });
    expect(h.maxCount).toBe(2);
  });

  it('never names or shows a department of fewer than 3 people, even when its cells have many people', () => {
    const m = buildConnectionMatrix({
      people,
      meetings: [met('leg-1', 'eng-1'), met('leg-1', 'eng-2'), met('leg-2', 'eng-3'), met('leg-2', 'sal-1')],
      gives: [],
      window,
    });
    const h = buildHeatmap(m, { limit: 10 });
    expect(h.departments.map((d) => d.name)).toEqual(['Engineering', 'Sales', 'Design']);
    expect(h.departmentsHidden).toBe(1);
    expect(JSON.stringify(h)).not.toContain('Legal');
    expect(JSON.stringify(leastConnectedPairs(m, { count: 10 }))).not.toContain('Legal');
  });

  it('shows the largest departments first and counts those left out for space', () => {
    const many = Array.from({ length: 500 }, (_, i) => staff(`Department ${i}`, 3 + (i % 7), `d${i}`)).flat();
    const m = buildConnectionMatrix({ people: many, meetings: [], gives: [], window });
    const h = buildHeatmap(m, { limit: 8 });
    expect(h.departments).toHaveLength(8);
    expect(h.departments.every((d) => d.people === 9)).toBe(true);
    expect(h.departmentsVisible).toBe(500);
    expect(h.grid).toHaveLength(8);
    expect(h.grid.every((row) => row.length === 8)).toBe(true);
  });
});

describe('least-connected pairs', () => {
  const people = [
    ...staff('Engineering', 6),
    ...staff('Sales', 5),
    ...staff('Design', 4),
    ...staff('Finance', 3),
  ];

  it('lists never-connected pairs first (largest first), then hidden ones, then the lowest counts', () => {
    const m = buildConnectionMatrix({
      people,
      meetings: [
        // Engineering↔Sales: 3 connections, 4 people.
        met('eng-1', 'sal-1'),
        met('eng-2', 'sal-2'),
        met('eng-1', 'sal-2'),
        // Engineering↔Design: 1 connection, 2 people (hidden).
        met('eng-3', 'des-1'),
        // Sales↔Design: 1 connection of a trio with Finance: Sales↔Finance, Design↔Finance too (2 people each).
        met('sal-3', 'des-2', 'fin-1'),
        // Engineering↔Finance: 5 connections, 4 people.
        met('eng-1', 'fin-1'),
        met('eng-2', 'fin-2'),
        met('eng-3', 'fin-3'),
        met('eng-1', 'fin-2'),
        met('eng-2', 'fin-3'),
      ],
      gives: [],
      window,
    });
    const pairs = leastConnectedPairs(m, { count: 6 });
    expect(pairs.map((p) => `${p.a}|${p.b}:${p.cell.status}`)).toEqual([
      // Hidden pairs (1–2 people), larger departments first: Design+Engineering 10, Design+Sales 9 …
      'Design|Engineering:hidden',
      'Design|Sales:hidden',
      'Finance|Sales:hidden',
      'Design|Finance:hidden',
      'Engineering|Sales:shown',
      'Engineering|Finance:shown',
    ]);
  });

  it('puts pairs that never connected before any other', () => {
    const m = buildConnectionMatrix({
      people,
      meetings: [met('eng-1', 'sal-1', 'des-1'), met('eng-2', 'sal-2', 'des-2')],
      gives: [],
      window,
    });
    const pairs = leastConnectedPairs(m, { count: 5 });
    expect(pairs.slice(0, 3).map((p) => `${p.a}|${p.b}`)).toEqual([
      'Engineering|Finance',
      'Finance|Sales',
      'Design|Finance',
    ]);
    expect(pairs.slice(0, 3).every((p) => p.cell.status === 'none')).toBe(true);
    expect(leastConnectedPairs(m, { count: 0 })).toEqual([]);
  });

  it('stays fast with 500 departments', () => {
    const many = Array.from({ length: 500 }, (_, i) => staff(`Department ${i}`, 3, `d${i}`)).flat();
    const m = buildConnectionMatrix({ people: many, meetings: [], gives: [], window });
    const started = performance.now();
    expect(leastConnectedPairs(m, { count: 5 })).toHaveLength(5);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
