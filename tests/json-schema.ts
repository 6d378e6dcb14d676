/**
 * The vendored CI schemas (draft-07) checked with ajv. Formats are annotations here (ajv without
 * ajv-formats); strict mode is off because the published schemas use keywords of their own
 * (markdownDescription and the like), which JSON Schema allows and ajv's strict mode refuses.
 */
import { Ajv } from 'ajv';

export interface SchemaError {
  /** A JSON pointer to the value, `/jobs/build/steps/3`. */
  at: string;
  message: string;
  params: Record<string, unknown>;
}

type Schema = boolean | Record<string, unknown>;

export function validate(schema: Schema, value: unknown): SchemaError[] {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const check = ajv.compile(schema);
  if (check(value)) return [];
  return (check.errors ?? []).map((e) => ({ at: e.instancePath, message: e.message ?? '', params: e.params as Record<string, unknown> }));
}
