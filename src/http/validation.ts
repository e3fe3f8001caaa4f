import { ZodError, ZodTypeAny, z } from 'zod';
import type * as z4 from 'zod/v4';
import { DomainError } from '../errors';

/** What both zod 3 and zod 4 report for a failed parse. */
interface Issues {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; code: string; message: string; received?: unknown; keys?: ReadonlyArray<string> }>;
}

/** Validates input with a zod schema (zod 3 or 4); a failure names every bad field in one 400. */
export function validate<S extends ZodTypeAny>(schema: S, input: unknown, code?: string): z.output<S>;
export function validate<S extends z4.ZodType>(schema: S, input: unknown, code?: string): z4.output<S>;
export function validate(schema: ZodTypeAny | z4.ZodType, input: unknown, code = 'invalid_request'): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidFields(fieldProblems(result.error), code);
}

/** The one shape of a refused input: 400, a message naming every bad field, and the list. */
export function invalidFields(fields: { field: string; message: string }[], code = 'invalid_request'): DomainError {
  return new DomainError(code, `invalid fields: ${fields.map((f) => `${f.field} (${f.message})`).join('; ')}`, 400, { fields });
}

export function fieldProblems(error: ZodError | Issues): { field: string; message: string }[] {
  return (error.issues as Issues['issues']).flatMap((issue) => {
    // A strict object names each name it does not know, as a field of its own.
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      return issue.keys.map((key) => ({ field: [...issue.path.map(String), key].join('.'), message: 'is not a known name' }));
    }
    return [
      {
        field: issue.path.map(String).join('.') || '(body)',
        // zod 3 names a missing field "Required"; zod 4 schemas here say "is required" themselves.
        message: issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message,
      },
    ];
  });
}
