/**
 * Nomad's job diff (`job plan` with `Diff: true`): JobDiff -> TaskGroupDiff -> TaskDiff, each
 * with FieldDiffs and ObjectDiffs, built over the API JSON of the old and new job. Groups and
 * tasks are matched by name; primitive lists are compared as sets, as Nomad does.
 */
import { annotateCountChange, taskGroupUpdates, type DesiredUpdates } from '@tsnomad/core';

type Json = Record<string, unknown>;
type DiffType = 'Added' | 'Deleted' | 'Edited' | 'None';

/** Nomad's FieldDiff. */
export interface FieldDiff {
  Type: DiffType;
  Name: string;
  Old: string;
  New: string;
  Annotations: string[] | null;
}
/** Nomad's ObjectDiff. */
export interface ObjectDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
}

// Fields the server owns: never part of a diff.
const JOB_IGNORED = new Set([
  'ID',
  'TaskGroups',
  'Status',
  'StatusDescription',
  'Version',
  'Stable',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
  'SubmitTime',
  'Stop',
  'VersionTag',
]);
const GROUP_IGNORED = new Set(['Name', 'Tasks']);
const TASK_IGNORED = new Set(['Name']);

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrim = (v: unknown): boolean => v === null || typeof v !== 'object';
const str = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);

// Unset, null and empty (a nil slice or map in Go) are all "absent".
const present = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(typeof v === 'object' && Object.keys(v).length === 0);

function typeOf(old: unknown, neu: unknown): DiffType {
  const o = present(old);
  const n = present(neu);
  if (o && !n) return 'Deleted';
  if (!o && n) return 'Added';
  return 'Edited';
}

/** Fields and nested objects of two objects (either may be absent). */
function diffBody(
  old: Json | undefined,
  neu: Json | undefined,
  ignored: ReadonlySet<string>,
): { fields: FieldDiff[]; objects: ObjectDiff[] } {
  const fields: FieldDiff[] = [];
  const objects: ObjectDiff[] = [];
  const keys = [...new Set([...Object.keys(old ?? {}), ...Object.keys(neu ?? {})])]
    .filter((k) => !ignored.has(k))
    .sort();
  for (const k of keys) {
    const a = old?.[k];
    const b = neu?.[k];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if ((isPrim(a) || a === undefined) && (isPrim(b) || b === undefined)) {
      if (str(a) === str(b)) continue;
      fields.push({
        Type:
          old && neu ? typeOf(a === '' ? undefined : a, b === '' ? undefined : b) : old ? 'Deleted' : 'Added',
        Name: k,
        Old: str(a),
        New: str(b),
        Annotations: null,
      });
    } else if (Array.isArray(a) || Array.isArray(b)) {
      const la = Array.isArray(a) ? a : [];
      const lb = Array.isArray(b) ? b : [];
      if ([...la, ...lb].every(isPrim)) {
        // A set of primitives: one field per added or removed element, named after the list.
        const sa = new Set(la.map(str));
        const sb = new Set(lb.map(str));
        const sub: FieldDiff[] = [];
        for (const x of sa)
          if (!sb.has(x)) sub.push({ Type: 'Deleted', Name: k, Old: x, New: '', Annotations: null });
        for (const x of sb)
          if (!sa.has(x)) sub.push({ Type: 'Added', Name: k, Old: '', New: x, Annotations: null });
        if (sub.length)
          objects.push({
            Type: la.length === 0 ? 'Added' : lb.length === 0 ? 'Deleted' : 'Edited',
            Name: k,
            Fields: sub,
            Objects: null,
          });
      } else {
        const n = Math.max(la.length, lb.length);
        for (let i = 0; i < n; i++) {
          const d = objectDiff(k, isObj(la[i]) ? la[i] : undefined, isObj(lb[i]) ? lb[i] : undefined);
          if (d) objects.push(d);
        }
      }
    } else {
      const d = objectDiff(k, isObj(a) ? a : undefined, isObj(b) ? b : undefined);
      if (d) objects.push(d);
    }
  }
  return { fields, objects };
}

function objectDiff(name: string, old: Json | undefined, neu: Json | undefined): ObjectDiff | undefined {
  const { fields, objects } = diffBody(old, neu, new Set());
  if (fields.length === 0 && objects.length === 0) return undefined;
  return {
    Type: typeOf(old, neu),
    Name: name,
    Fields: fields.length ? fields : null,
    Objects: objects.length ? objects : null,
  };
}

const byName = (list: unknown): Map<string, Json> => {
  const m = new Map<string, Json>();
  if (Array.isArray(list)) for (const x of list) if (isObj(x)) m.set(String(x.Name), x);
  return m;
};

/**
 * Diffs two jobs' API JSON (`old` undefined for a new job). `updates` are the plan's desired
 * changes per group (shown as the group's Updates).
 */
export function jobDiff(
  old: Json | undefined,
  neu: Json,
  updates: Readonly<Record<string, DesiredUpdates>> = {},
): Json {
  const top = diffBody(old, neu, JOB_IGNORED);
  const oldGroups = byName(old?.TaskGroups);
  const newGroups = byName(neu.TaskGroups);
  const groupNames = [...new Set([...oldGroups.keys(), ...newGroups.keys()])].sort();
  const taskGroups = groupNames.map((g) => {
    const og = oldGroups.get(g);
    const ng = newGroups.get(g);
    const body = diffBody(og, ng, GROUP_IGNORED);
    const countNote = annotateCountChange(og?.Count as number | undefined, ng?.Count as number | undefined);
    for (const f of body.fields) if (f.Name === 'Count' && countNote) f.Annotations = [countNote];
    const oldTasks = byName(og?.Tasks);
    const newTasks = byName(ng?.Tasks);
    const tasks = [...new Set([...oldTasks.keys(), ...newTasks.keys()])].sort().map((t) => {
      const ot = oldTasks.get(t);
      const nt = newTasks.get(t);
      const tb = diffBody(ot, nt, TASK_IGNORED);
      const changed = tb.fields.length + tb.objects.length > 0;
      return {
        Type: ot && nt ? (changed ? 'Edited' : 'None') : ot ? 'Deleted' : 'Added',
        Name: t,
        Fields: tb.fields.length ? tb.fields : null,
        Objects: tb.objects.length ? tb.objects : null,
        Annotations: ot && nt && changed ? ['forces create/destroy update'] : null,
      };
    });
    const changed = body.fields.length + body.objects.length > 0 || tasks.some((t) => t.Type !== 'None');
    const u = updates[g];
    return {
      Type: og && ng ? (changed ? 'Edited' : 'None') : og ? 'Deleted' : 'Added',
      Name: g,
      Fields: body.fields.length ? body.fields : null,
      Objects: body.objects.length ? body.objects : null,
      Tasks: tasks,
      Updates: u ? taskGroupUpdates(u) : null,
    };
  });
  const changed = top.fields.length + top.objects.length > 0 || taskGroups.some((g) => g.Type !== 'None');
  return {
    Type: old ? (changed ? 'Edited' : 'None') : 'Added',
    ID: neu.ID,
    Fields: top.fields.length ? top.fields : null,
    Objects: top.objects.length ? top.objects : null,
    TaskGroups: taskGroups,
  };
}
