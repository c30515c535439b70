// The model's record of who met whom (model.ts `indexHistory`, read through `lastMetRound`): every pair
// inside a past group, the latest round they met in, and the ids a history may hold that the pool does
// not (people gone, repeated ids, rounds not yet before this one).
import { describe, expect, it } from 'vitest';
import { buildModel, lastMetRound } from '../../../../src/domain/matching/model.ts';
import type { MatchMember, PastGroup } from '../../../../src/domain/matching/types.ts';

const member = (id: string): MatchMember => ({ id, department: `d-${id}`, tz: 'Europe/Berlin' });

function modelOf(ids: string[], history: PastGroup[], round = 10) {
  return buildModel({
    members: ids.map(member),
    history,
    round,
    windowRounds: 12,
    seed: 3,
    at: new Date(Date.UTC(2026, 0, 5, 10)),
    groupSize: 2,
  });
}

describe('the meeting history the engine plans with', () => {
  it('lists every pair of a past group, in both orders of the pair, at the latest round they met', () => {
    const m = modelOf(
      ['A', 'B', 'C', 'D'],
      [
        { round: 2, members: ['A', 'B', 'C'] },
        { round: 7, members: ['C', 'A'] },
        { round: 4, members: ['A', 'C'] },
      ],
    );
    const [a, b, c, d] = [0, 1, 2, 3];
    expect(lastMetRound(m, a, b)).toBe(2);
    expect(lastMetRound(m, b, a)).toBe(2);
    expect(lastMetRound(m, b, c)).toBe(2);
    expect(lastMetRound(m, a, c)).toBe(7);
    expect(lastMetRound(m, c, a)).toBe(7);
    expect(lastMetRound(m, a, d)).toBe(-1);
  });

  it('drops ids outside the pool and an id listed twice, and keeps the rest of that group', () => {
    const m = modelOf(['A', 'B', 'C'], [{ round: 3, members: ['GONE', 'A', 'B', 'A', 'GONE', 'C'] }]);
    expect(lastMetRound(m, 0, 1)).toBe(3);
    expect(lastMetRound(m, 0, 2)).toBe(3);
    expect(lastMetRound(m, 1, 2)).toBe(3);
    // Three members, three meetings: nobody "met" themselves and no pair is listed twice.
    expect(m.histPartner.length).toBe(3);
  });

  it('ignores groups of this round and later ones', () => {
    const m = modelOf(
      ['A', 'B', 'C'],
      [
        { round: 10, members: ['A', 'B'] },
        { round: 12, members: ['B', 'C'] },
        { round: 9, members: ['A', 'C'] },
      ],
    );
    expect(lastMetRound(m, 0, 1)).toBe(-1);
    expect(lastMetRound(m, 1, 2)).toBe(-1);
    expect(lastMetRound(m, 0, 2)).toBe(9);
    expect(m.histPartner.length).toBe(1);
  });

  it('reads an empty history as nobody having met', () => {
    const m = modelOf(['A', 'B'], []);
    expect(lastMetRound(m, 0, 1)).toBe(-1);
    expect(m.histPartner.length).toBe(0);
  });
});
