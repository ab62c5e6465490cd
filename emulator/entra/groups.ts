// The directory's security groups (`--group NAME=MEMBER[,MEMBER…]`): a role assignment or an access policy
// for a group applies to its members, nested groups included.
import { GUID_PATTERN, stableGuid } from '../common/guids.js';

/** A security group of the directory (`--group NAME=MEMBER[,MEMBER…]`): members are object ids or other groups' names. */
export interface Group {
  name: string;
  objectId: string;
  /** Object ids (of principals or of nested groups). */
  members: string[];
}

const GROUP_NAME_PATTERN = /^[\w.-]{1,64}$/;

/**
 * Parses every `--group` together, so members may name groups given later (nesting). A member is an
 * object id, another group's name, or what `resolve` turns into object ids (`compute:SUB/RG/WS/NAME`,
 * `endpoint:SUB/RG/WS/NAME`, `workspace:SUB/RG/NAME`, `identity:NAME|RESOURCE_ID`); without `resolve` those are only checked for form.
 */
export function parseGroupSpecs(specs: readonly string[], resolve?: (member: string) => string[] | undefined): Group[] {
  const raw = specs.map((spec) => {
    const eq = spec.indexOf('=');
    const name = eq >= 0 ? spec.slice(0, eq) : '';
    if (!GROUP_NAME_PATTERN.test(name))
      throw new Error(
        `invalid --group "${spec}": expected NAME=MEMBER[,MEMBER…] (NAME: letters, digits, '_', '.', '-')`,
      );
    return {
      name,
      members: spec
        .slice(eq + 1)
        .split(',')
        .filter((m) => m !== ''),
    };
  });
  const ids = new Map(raw.map((g) => [g.name.toLowerCase(), stableGuid(`group/${g.name.toLowerCase()}`)]));
  if (ids.size !== raw.length) throw new Error('duplicate --group name');
  return raw.map((g) => ({
    name: g.name,
    objectId: ids.get(g.name.toLowerCase())!,
    members: g.members.flatMap((m) => {
      if (GUID_PATTERN.test(m)) return [m.toLowerCase()];
      const nested = ids.get(m.toLowerCase());
      if (nested) return [nested];
      if (/^(compute|endpoint|workspace|identity):./.test(m)) {
        if (!resolve) return [];
        const resolved = resolve(m);
        if (resolved) return resolved;
      }
      throw new Error(
        `invalid --group "${g.name}": member "${m}" is not an object id (GUID), a --group, or compute:/endpoint:/workspace:/identity: of this emulator`,
      );
    }),
  }));
}

/** The groups a principal belongs to, directly or through nested groups (what assignedTo() follows). */
export function groupsOf(principalId: string, groups: readonly Group[]): string[] {
  const found = new Set<string>();
  const queue = [principalId.toLowerCase()];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const g of groups)
      if (g.members.includes(id) && !found.has(g.objectId)) {
        found.add(g.objectId);
        queue.push(g.objectId);
      }
  }
  return [...found];
}
