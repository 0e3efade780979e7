/**
 * The value, known to be there: a test's way to say so that fails with a message when it is not
 * (where `value!` would only fail later, as a TypeError somewhere else).
 */
export function must<T>(value: T | null | undefined, what = 'a value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}
