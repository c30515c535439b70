import { describe, expect, it } from 'vitest';
import { planRound } from '../../../../src/domain/matching/index.ts';
import {
  buildConnectionMatrix,
  collectConnections,
  departmentPairWeights,
  type NetworkPerson,
  pairKey,
  peoplePerDepartment,
} from '../../../../src/domain/network/index.ts';

const at = (iso: string) => new Date(iso);
const window = { from: at('2026-11-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') };
const person = (id: string, department: string | null, active = true): NetworkPerson => ({
  id,
  department,
  active,
});

describe('connection matrix', () => {
  const people = [
    person('e1', 'Engineering'),
    person('e2', 'Engineering'),
    person('s1', 'Sales'),
    person('s2', 'Sales'),
    person('d1', 'Design'),
    person('x1', null),
    person('gone', 'Sales', false),
  ];

  it('counts every pair of a group that met and every give, by department pair', () => {
    const m = buildConnectionMatrix({
      people,
      meetings: [
        { members: ['e1', 's1'], at: at('2026-11-02T10:00:00Z') },
        { members: ['e2', 's2', 'd1'], at: at('2026-11-03T10:00:00Z') },
      ],
      gives: [{ giverId: 's1', receiverId: 'e2', kind: 'help', at: at('2026-11-04T10:00:00Z') }],
      window,
    });
    expect(m.cells.get('Engineering|Sales')).toMatchObject({ count: 3 });
    expect([...(m.cells.get('Engineering|Sales')?.people ?? [])].sort()).toEqual(['e1', 'e2', 's1', 's2']);
    expect(m.cells.get('Design|Engineering')?.count).toBe(1);
    expect(m.cells.get('Design|Sales')?.count).toBe(1);
    expect(m.connections).toHaveLength(5);
  });

  it('ignores people without a department, self-gives, forgotten receivers and anything outside the window', () => {
    const connections = collectConnections({
      people,
      meetings: [
        { members: ['e1', 'x1'], at: at('2026-11-02T10:00:00Z') },
        { members: ['e1', 's1'], at: at('2026-10-31T23:59:59Z') },
        { members: ['e1', 's1'], at: window.to },
        { members: ['e1', 'e1'], at: at('2026-11-02T10:00:00Z') },
      ],
      gives: [
        { giverId: 'e1', receiverId: 'e1', kind: 'help', at: at('2026-11-02T10:00:00Z') },
        { giverId: 'e1', receiverId: null, kind: 'help', at: at('2026-11-02T10:00:00Z') },
        { giverId: 'e1', receiverId: 'unknown', kind: 'help', at: at('2026-11-02T10:00:00Z') },
      ],
      window,
    });
    expect(connections).toEqual([]);
  });

  it('labels connections of people who left by their department but does not count them as its people', () => {
    const m = buildConnectionMatrix({
      people,
      meetings: [{ members: ['gone', 'e1'], at: at('2026-11-02T10:00:00Z') }],
      gives: [],
      window,
    });
    expect(m.cells.get('Engineering|Sales')?.count).toBe(1);
    expect(peoplePerDepartment(people)).toEqual(
      new Map([
        ['Engineering', 2],
        ['Sales', 2],
        ['Design', 1],
      ]),
    );
  });

  it('keys pairs as the matcher expects (sorted names joined by |), also for names holding |', () => {
    expect(pairKey('Sales', 'Design')).toBe('Design|Sales');
    expect(pairKey('Design', 'Sales')).toBe('Design|Sales');
    expect(pairKey('R|D', 'Ops')).toBe('Ops|R|D');
  });

  it('gives the matcher weights for pairs of different departments only', () => {
    const m = buildConnectionMatrix({
      people,
      meetings: [
        { members: ['e1', 'e2'], at: at('2026-11-02T10:00:00Z') },
        { members: ['e1', 's1'], at: at('2026-11-02T10:00:00Z') },
        { members: ['e2', 's2'], at: at('2026-11-09T10:00:00Z') },
      ],
      gives: [],
      window,
    });
    expect(departmentPairWeights(m)).toEqual(new Map([['Engineering|Sales', 2]]));
  });

  it('steers the matcher towards the department pairs that rarely connect (weights from the matrix)', () => {
    // One person in each of four departments: three ways to pair them. The matrix says A↔B, C↔D, A↔C and
    // B↔D connected often, A↔D and B↔C never: the plan takes the never-connected pairs.
    const ppl = ['A', 'B', 'C', 'D'].map((d) => person(d.toLowerCase(), d));
    const often = [
      ['a', 'b'],
      ['c', 'd'],
      ['a', 'c'],
      ['b', 'd'],
    ];
    const matrix = buildConnectionMatrix({
      people: ppl,
      meetings: often.flatMap((pair) =>
        Array.from({ length: 5 }, (_, i) => ({ members: pair, at: at(`2026-11-0${i + 2}T10:00:00Z`) })),
      ),
      gives: [],
      window,
    });
    const weights = departmentPairWeights(matrix);
    expect(weights.get('A|B')).toBe(5);
    for (const seed of [1, 2, 3, 4, 5]) {
      const plan = planRound({
        members: ppl.map((p) => ({ id: p.id, department: p.department, tz: 'UTC' })),
        history: [],
        round: 1,
        windowRounds: 12,
        seed,
        at: at('2026-11-20T10:00:00Z'),
        departmentPairWeights: weights,
      });
      const pairs = plan.groups.map((g) => [...g.members].sort().join('+')).sort();
      expect(pairs).toEqual(['a+d', 'b+c']);
    }
  });
});
