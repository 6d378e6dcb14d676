/**
 * A JSON Schema (draft-07) validator for the vendored CI schemas, because ajv is not among the
 * project's dependencies. It implements the keywords those schemas use and throws on any other,
 * so a schema it cannot fully read fails the test instead of passing it unchecked. Formats are
 * annotations, as in ajv without ajv-formats.
 */
type Schema = boolean | { [keyword: string]: unknown };

export interface SchemaError {
  /** A JSON pointer to the value, `/jobs/build/steps/3`. */
  at: string;
  message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'markdownDescription', 'default', 'examples', 'definitions', 'format', 'deprecated', 'deprecationMessage']);

export function validate(root: Schema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  check(root, root, value, '', errors);
  return errors;
}

function check(root: Schema, schema: Schema, value: unknown, at: string, errors: SchemaError[]): void {
  if (schema === true) return;
  if (schema === false) return void errors.push({ at, message: 'no value is allowed here' });
  const fail = (message: string) => errors.push({ at, message });
  const sub = (s: unknown, v: unknown, where = at) => check(root, s as Schema, v, where, errors);
  const passes = (s: unknown, v: unknown) => passesSchema(root, s as Schema, v);
  for (const [keyword, arg] of Object.entries(schema)) {
    const a = arg as any;
    switch (keyword) {
      case '$ref':
        sub(resolve(root, a), value);
        break;
      case 'type': {
        const types: string[] = Array.isArray(a) ? a : [a];
        if (!types.some((t) => isType(value, t))) fail(`is ${typeName(value)}, not ${types.join(' or ')}`);
        break;
      }
      case 'enum':
        if (!a.some((e: unknown) => equal(e, value))) fail(`is ${JSON.stringify(value)}, not one of ${JSON.stringify(a)}`);
        break;
      case 'const':
        if (!equal(a, value)) fail(`is ${JSON.stringify(value)}, not ${JSON.stringify(a)}`);
        break;
      case 'allOf':
        for (const s of a) sub(s, value);
        break;
      case 'anyOf':
        if (!a.some((s: unknown) => passes(s, value))) fail(`matches none of the schemas of anyOf (${branches(root, a, value, at)})`);
        break;
      case 'oneOf': {
        const n = a.filter((s: unknown) => passes(s, value)).length;
        if (n !== 1) fail(`matches ${n} of the schemas of oneOf, not exactly one${n === 0 ? ` (${branches(root, a, value, at)})` : ''}`);
        break;
      }
      case 'not':
        if (passes(a, value)) fail('matches the schema of "not"');
        break;
      case 'if':
        if (passes(a, value)) {
          if ('then' in schema) sub(schema.then, value);
        } else if ('else' in schema) sub(schema.else, value);
        break;
      case 'then':
      case 'else':
        break; // read with "if"
      default:
        if (ANNOTATIONS.has(keyword)) break;
        if (checkObject(keyword, a, schema, value, at, sub, fail) || checkArray(keyword, a, schema, value, at, sub, fail) || checkScalar(keyword, a, value, fail)) break;
        throw new Error(`json-schema.ts does not implement the keyword "${keyword}" (at ${at || '/'})`);
    }
  }
}

type Sub = (schema: unknown, value: unknown, at?: string) => void;

/** Whether `keyword` is an object keyword (checked when the value is an object). */
function checkObject(keyword: string, a: any, schema: Record<string, unknown>, value: unknown, at: string, sub: Sub, fail: (m: string) => void): boolean {
  const keywords = ['properties', 'patternProperties', 'additionalProperties', 'required', 'minProperties', 'maxProperties', 'dependencies', 'propertyNames'];
  if (!keywords.includes(keyword)) return false;
  if (!isType(value, 'object')) return true;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  const patterns = Object.keys((schema.patternProperties as object) ?? {}).map((p) => regex(p));
  switch (keyword) {
    case 'properties':
      for (const [k, s] of Object.entries(a)) if (k in object) sub(s, object[k], `${at}/${k}`);
      break;
    case 'patternProperties':
      for (const [p, s] of Object.entries(a)) for (const k of keys) if (regex(p).test(k)) sub(s, object[k], `${at}/${k}`);
      break;
    case 'additionalProperties':
      for (const k of keys) {
        if ((schema.properties as object | undefined)?.hasOwnProperty(k) || patterns.some((r) => r.test(k))) continue;
        if (a === false) fail(`has "${k}", which the schema does not allow`);
        else sub(a, object[k], `${at}/${k}`);
      }
      break;
    case 'required':
      for (const k of a) if (!(k in object)) fail(`lacks "${k}"`);
      break;
    case 'minProperties':
      if (keys.length < a) fail(`has ${keys.length} properties, fewer than ${a}`);
      break;
    case 'maxProperties':
      if (keys.length > a) fail(`has ${keys.length} properties, more than ${a}`);
      break;
    case 'dependencies':
      for (const [k, d] of Object.entries(a)) {
        if (!(k in object)) continue;
        if (!Array.isArray(d)) sub(d, value);
        else for (const needed of d) if (!(needed in object)) fail(`has "${k}" without "${needed}"`);
      }
      break;
    case 'propertyNames':
      for (const k of keys) sub(a, k, `${at}/${k}`);
      break;
  }
  return true;
}

function checkArray(keyword: string, a: any, schema: Record<string, unknown>, value: unknown, at: string, sub: Sub, fail: (m: string) => void): boolean {
  if (!['items', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems'].includes(keyword)) return false;
  if (!Array.isArray(value)) return true;
  switch (keyword) {
    case 'items':
      value.forEach((v, i) => (Array.isArray(a) ? i < a.length && sub(a[i], v, `${at}/${i}`) : sub(a, v, `${at}/${i}`)));
      break;
    case 'additionalItems':
      // Only after a list of "items": the items past it (one "items" schema covers them all).
      if (Array.isArray(schema.items)) value.slice(schema.items.length).forEach((v, i) => sub(a, v, `${at}/${i + (schema.items as unknown[]).length}`));
      break;
    case 'minItems':
      if (value.length < a) fail(`has ${value.length} items, fewer than ${a}`);
      break;
    case 'maxItems':
      if (value.length > a) fail(`has ${value.length} items, more than ${a}`);
      break;
    case 'uniqueItems':
      if (a && value.some((v, i) => value.findIndex((w) => equal(v, w)) !== i)) fail('has an item twice');
      break;
  }
  return true;
}

function checkScalar(keyword: string, a: any, value: unknown, fail: (m: string) => void): boolean {
  switch (keyword) {
    case 'pattern':
      if (typeof value === 'string' && !regex(a).test(value)) fail(`"${value}" does not match ${a}`);
      return true;
    case 'minLength':
      if (typeof value === 'string' && [...value].length < a) fail(`is shorter than ${a}`);
      return true;
    case 'maxLength':
      if (typeof value === 'string' && [...value].length > a) fail(`is longer than ${a}`);
      return true;
    case 'minimum':
      if (typeof value === 'number' && value < a) fail(`is less than ${a}`);
      return true;
    case 'maximum':
      if (typeof value === 'number' && value > a) fail(`is more than ${a}`);
      return true;
    case 'exclusiveMinimum':
      if (typeof value === 'number' && value <= a) fail(`is not more than ${a}`);
      return true;
    case 'multipleOf':
      if (typeof value === 'number' && !Number.isInteger(value / a)) fail(`is not a multiple of ${a}`);
      return true;
    default:
      return false;
  }
}

/** Each alternative's first problem, so that a failed anyOf or oneOf says what is wrong. */
function branches(root: Schema, alternatives: Schema[], value: unknown, at: string): string {
  return alternatives
    .map((s, i) => {
      const errors: SchemaError[] = [];
      check(root, s, value, at, errors);
      return `${i + 1}: ${errors[0]?.at} ${errors[0]?.message}`;
    })
    .join('; ');
}

function passesSchema(root: Schema, schema: Schema, value: unknown): boolean {
  const errors: SchemaError[] = [];
  check(root, schema, value, '', errors);
  return errors.length === 0;
}

/** A `#/definitions/name` reference (the only kind the vendored schemas use). */
function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) throw new Error(`json-schema.ts resolves local references only, not ${ref}`);
  let node: any = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    node = node?.[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`the schema has no ${ref}`);
  }
  return node as Schema;
}

const regexes = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let r = regexes.get(pattern);
  if (!r) regexes.set(pattern, (r = new RegExp(pattern, 'u')));
  return r;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => equal((a as any)[k], (b as any)[k]));
}
