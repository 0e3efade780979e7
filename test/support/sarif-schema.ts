import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
// Both are CommonJS with a default export: require them to get the function and class themselves.
const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

let validator: ValidateFunction | undefined;

/**
 * The SARIF 2.1.0 schema as a validator that also checks its formats (`uri`, `date-time`): without
 * ajv-formats those are only warned about, and a malformed URI would pass.
 */
export function sarifValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  ) as object;
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  validator = ajv.compile(schema);
  return validator;
}
