import { readFileSync } from 'node:fs';

/** The package version, read from the package.json that ships beside dist/. */
export function packageVersion(): string {
  const packageJson = new URL('../../../package.json', import.meta.url);
  const parsed = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string };
  return parsed.version ?? '0.0.0';
}
