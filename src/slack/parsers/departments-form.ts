// zod over the departments modal's state: what the admin asked to change, or per-field errors for what
// can be checked at once (the rest is checked after the ack, and reported in a DM).

import { z } from 'zod';
import type { DepartmentSourceChoice } from '../../services/departments.ts';
import { INTRO_BLOCKS as B } from '../ids.ts';
import { type FormResult, parseMetadata, readViewState } from './view-state.ts';

/** What the departments modal asks for; every part is optional. */
export interface DepartmentsForm {
  merge: { from: string[]; into: string } | null;
  unmerge: string | null;
  source: DepartmentSourceChoice | 'csv';
  csv: string;
}

const metadataSchema = z.object({ source: z.string().max(20) });

/** Reads the departments modal: its state and private metadata (where departments came from when opened). */
export function parseDepartmentsForm(
  raw: unknown,
  metadata: string | undefined,
): FormResult<DepartmentsForm> {
  const currentSource = parseMetadata(metadataSchema, metadata)?.source ?? '';
  const state = readViewState(raw);
  if (!state)
    return {
      ok: false,
      errors: { [B.departmentsSource]: 'This form is out of date. Run `/intro admin departments` again.' },
    };
  const el = (id: string) => state[id]?.[id];
  const from = (el(B.departmentsMergeFrom)?.selected_options ?? []).map((o) => o.value);
  const into = (el(B.departmentsMergeInto)?.value ?? '').trim();
  const unmerge = el(B.departmentsUnmerge)?.selected_option?.value ?? null;
  const sourceValue = el(B.departmentsSource)?.selected_option?.value ?? 'field:auto';
  const groups = (el(B.departmentsGroups)?.selected_options ?? []).map((o) => o.value);
  const csv = el(B.departmentsCsv)?.value ?? '';
  const errors: Record<string, string> = {};
  if (from.length > 0 && into === '')
    errors[B.departmentsMergeInto] = 'Type the name to merge or rename into.';
  if (from.length === 0 && into !== '')
    errors[B.departmentsMergeFrom] = 'Pick the departments to merge or rename.';
  let source: DepartmentsForm['source'];
  if (sourceValue === 'title') source = { kind: 'title' };
  else if (sourceValue === 'usergroups') {
    source = { kind: 'usergroups', groupIds: groups };
    if (groups.length === 0)
      errors[B.departmentsSource] = 'Pick at least one user group below, or another source.';
  } else if (sourceValue === 'csv') {
    source = 'csv';
    if (csv.trim() === '' && currentSource !== 'csv')
      errors[B.departmentsCsv] = 'Paste the CSV here, or pick another source.';
  } else {
    const id = sourceValue.startsWith('field:') ? sourceValue.slice('field:'.length) : 'auto';
    source = { kind: 'field', fieldId: id === 'auto' || id === '' ? null : id.slice(0, 100) };
  }
  if (csv.trim() !== '' && sourceValue !== 'csv')
    errors[B.departmentsSource] = 'Pick "A pasted CSV" to use the CSV below.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { merge: from.length > 0 ? { from, into } : null, unmerge, source, csv } };
}
