import { describe, expect, it } from 'vitest';
import { departmentDirectory, departmentKey, sameDepartment } from '../../../src/domain/departments.ts';

describe('departmentKey', () => {
  it.each([
    ['Engineering', 'engineering'],
    ['engineering ', 'engineering'],
    ['  ENGINEERING', 'engineering'],
    ['Eng.', 'eng'],
    ['Research  &   Development', 'research development'],
    ['Ingeniería', 'ingenieria'],
    ['Personal-Abteilung', 'personal abteilung'],
    ['---', ''],
  ])('%j → %j', (raw, key) => {
    expect(departmentKey(raw)).toBe(key);
  });

  it('never treats two unknown departments as the same', () => {
    expect(sameDepartment(null, null)).toBe(false);
    expect(sameDepartment('', ' ')).toBe(false);
    expect(sameDepartment('Sales', 'sales ')).toBe(true);
    expect(sameDepartment('Sales', 'Design')).toBe(false);
  });
});

describe('departmentDirectory', () => {
  const nine = [
    'Engineering',
    'engineering ',
    'ENGINEERING',
    'Sales',
    'sales',
    'Design',
    'design',
    'Finance',
    'People',
  ];

  it('folds spellings into 5 departments shown with their most common spelling', () => {
    const dir = departmentDirectory([...nine, 'Sales', null, '  ']);
    expect(dir.entries.map((e) => [e.name, e.members])).toEqual([
      ['Engineering', 3],
      ['Sales', 3],
      ['Design', 2],
      ['Finance', 1],
      ['People', 1],
    ]);
    expect(dir.unknown).toBe(2);
    expect(dir.name('ENGINEERING')).toBe('Engineering');
    expect(dir.name(' sales')).toBe('Sales');
    expect(dir.name(null)).toBeNull();
  });

  it('picks a mixed-case spelling on a tie, whatever the order', () => {
    expect(departmentDirectory(['design', 'Design']).name('DESIGN')).toBe('Design');
    expect(departmentDirectory(['Design', 'design']).name('DESIGN')).toBe('Design');
  });

  it('merges ENG and Eng. into Engineering and renames on request', () => {
    const dir = departmentDirectory(['ENG', 'Eng.', 'Engineering', 'Sales', 'Sales'], {
      eng: 'Engineering',
      sales: 'Revenue',
    });
    expect(dir.entries.map((e) => [e.name, e.members])).toEqual([
      ['Engineering', 3],
      ['Revenue', 2],
    ]);
    expect(dir.key('Eng.')).toBe(dir.key('engineering'));
    expect(dir.name('sales')).toBe('Revenue');
  });

  it('stops at a merge cycle instead of looping', () => {
    const dir = departmentDirectory(['A', 'B'], { a: 'B', b: 'A' });
    expect(dir.entries).toHaveLength(1);
  });
});
