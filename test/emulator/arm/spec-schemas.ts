// JSON Schemas for the emulator's Resource Manager answers, built from the REST spec extracts in test/specs/
// (see its README: sources, commits, licence). The extracts stay as published; what this file derives:
//   - a definition that lists its properties admits no other (additionalProperties: false), after its allOf
//     parents are merged in, so a field the spec lacks fails;
//   - a $ref to a discriminated base (Compute, by computeType) becomes the derived definition that value names;
//   - a definition the extracts leave out admits nothing: the emulator sending it means vendoring it first;
//   - null stands for an absent optional property, as Resource Manager answers unset ones (the specs' own examples
//     do: Compute/get/AmlCompute.json has "virtualMachineImage": null) and the Azure SDKs read them; a required
//     property may not be null;
//   - formats: uuid and date-time are checked, the Swagger-only ones (int32, duration, url…) are annotations.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;
type Defs = Record<string, Schema>;

const SPECS = join(__dirname, '..', '..', 'specs');
const extracts: Record<string, Defs> = Object.fromEntries(
  readdirSync(SPECS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, (JSON.parse(readFileSync(join(SPECS, f), 'utf8')) as { definitions: Defs }).definitions]),
);

const keyOf = (file: string, name: string) => `${file.replace(/\.json$/, '')}.${name}`;

/** A $ref (same file or `other.json#/definitions/X`) as file and definition name. */
function target(ref: string, file: string): [string, string] {
  const [f, pointer] = ref.split('#');
  return [f || file, pointer!.replace('#/definitions/', '').replace('/definitions/', '')];
}

function derivedOf(file: string, base: string): [string, string][] {
  const defs = extracts[file] ?? {};
  return Object.entries(defs)
    .filter(([, d]) => (d.allOf as Schema[] | undefined)?.some((p) => p.$ref === `#/definitions/${base}`))
    .map(([name, d]) => [name, String(d['x-ms-discriminator-value'])]);
}

const definitions: Record<string, unknown> = {};

/** Registers a definition (flattened) and returns the $ref to it. */
function refTo(file: string, name: string, polymorphic = true): string {
  const raw = extracts[file]?.[name];
  const key = keyOf(file, name) + (polymorphic && raw?.discriminator ? '.any' : '');
  if (key in definitions) return `#/definitions/${key}`;
  if (!raw) {
    definitions[key] = { not: {}, description: `${file} lacks ${name}: vendor it before the emulator sends it` };
    return `#/definitions/${key}`;
  }
  definitions[key] = {};
  if (polymorphic && raw.discriminator) {
    const field = String(raw.discriminator);
    const cases = derivedOf(file, name);
    definitions[key] = {
      type: 'object',
      required: [field],
      properties: { [field]: { enum: cases.map(([, value]) => value) } },
      allOf: cases.map(([derived, value]) => ({
        if: { properties: { [field]: { const: value } } },
        then: { $ref: refTo(file, derived) },
      })),
    };
  } else definitions[key] = flatten(raw, file);
  return `#/definitions/${key}`;
}

function flatten(def: Schema, file: string): Schema {
  const properties: Record<string, unknown> = {};
  const required = new Set<string>((def.required as string[] | undefined) ?? []);
  for (const part of (def.allOf as Schema[] | undefined) ?? []) {
    const [f, n] = part.$ref ? target(String(part.$ref), file) : [file, ''];
    const parent = part.$ref ? flatten(extracts[f]?.[n] ?? {}, f) : flatten(part, file);
    Object.assign(properties, parent.properties ?? {});
    for (const r of (parent.required as string[] | undefined) ?? []) required.add(r);
  }
  for (const [name, p] of Object.entries((def.properties as Record<string, Schema> | undefined) ?? {}))
    properties[name] = required.has(name) ? convert(p, file) : { anyOf: [{ type: 'null' }, convert(p, file)] };
  const out: Schema = {};
  if (def.type) out.type = def.type;
  if (def.enum) out.enum = def.enum;
  if (Object.keys(properties).length > 0 || def.allOf) {
    out.type = 'object';
    out.properties = properties;
    out.required = [...required];
    out.additionalProperties =
      def.additionalProperties === undefined ? false : convert(def.additionalProperties as Schema, file);
  } else if (def.additionalProperties !== undefined)
    out.additionalProperties = convert(def.additionalProperties as Schema, file);
  if (def.items) out.items = convert(def.items as Schema, file);
  return out;
}

function convert(p: Schema | boolean, file: string): Schema | boolean {
  if (typeof p === 'boolean') return p;
  if (p.$ref) return { $ref: refTo(...target(String(p.$ref), file)) };
  const out = flatten(p, file);
  if (p.format === 'uuid' || p.format === 'date-time') out.format = p.format;
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const compiled = new Map<string, ValidateFunction>();

/** The spec's schema for `file`'s definition `name`, e.g. spec('keyvault-2024-11-01.json', 'Vault'). */
export function validatorFor(file: string, name: string): ValidateFunction {
  const id = `${file}#${name}`;
  const found = compiled.get(id);
  if (found) return found;
  const ref = refTo(file, name);
  const v = ajv.compile({ definitions: { ...definitions }, $ref: ref });
  compiled.set(id, v);
  return v;
}

/** Problems of `body` against the definition, one line each ("" when it conforms). */
export function problems(file: string, name: string, body: unknown): string[] {
  const v = validatorFor(file, name);
  if (v(body)) return [];
  // anyOf wraps every optional property (null or the schema): its errors repeat the inner ones.
  return (v.errors ?? [])
    .filter((e: ErrorObject) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null'))
    .map((e: ErrorObject) =>
      `${e.instancePath || '/'} ${e.message ?? ''} ${e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : ''}`.trim(),
    );
}

/** Paths (a.b.c) the spec's example shows that the body lacks or has null. */
export function missingPaths(body: unknown, paths: readonly string[]): string[] {
  return paths.filter((path) => {
    let v: unknown = body;
    for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return v === undefined || v === null;
  });
}
