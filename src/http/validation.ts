import { ZodError, ZodTypeAny, z } from 'zod';
import { DomainError } from '../errors';

/** Validates input with a zod schema; a failure names every bad field in one 400. */
export function validate<S extends ZodTypeAny>(schema: S, input: unknown, code = 'invalid_request'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldProblems(result.error);
  throw new DomainError(code, `invalid fields: ${fields.map((f) => `${f.field} (${f.message})`).join('; ')}`, 400, { fields });
}

export function fieldProblems(error: ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message: issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message,
  }));
}
