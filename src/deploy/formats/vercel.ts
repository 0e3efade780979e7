import { basename, dirname, join } from 'node:path';
import { spanAt, serverCommand, type FileEntrypoint } from './common.js';

/**
 * vercel.json (or now.json): a `@vercel/python` build (`builds: [{src: "api/index.py", use: "@vercel/python"}]`), or a
 * function under `api/` that `rewrites` (or the older `routes`) send requests to. Vercel imports the module
 * and serves its WSGI `app`: never its `if __name__ == "__main__":` block.
 */

const PYTHON_BUILDER = /^@(?:vercel\/python|now\/python|now\/wsgi)(?:@|$)/;

export function vercelEntrypoints(path: string, source: string, exists: (path: string) => boolean): FileEntrypoint[] {
  let config: unknown;
  try {
    config = JSON.parse(source);
  } catch {
    return [];
  }
  if (typeof config !== 'object' || config === null) return [];
  const { builds, rewrites, routes } = config as { builds?: unknown; rewrites?: unknown; routes?: unknown };
  const folder = dirname(path);
  const modules = new Set<string>();
  for (const build of Array.isArray(builds) ? builds : []) {
    const { src, use } = (build ?? {}) as { src?: unknown; use?: unknown };
    // `@now/python` and `@now/wsgi` are the same builders under ZEIT Now's names (now.json).
    if (typeof src === 'string' && typeof use === 'string' && PYTHON_BUILDER.test(use) && src.endsWith('.py'))
      modules.add(src.replace(/^\.?\//, ''));
  }
  // Zero-config functions: `api/*.py` that a rewrite or route sends requests to (`/api/index` is api/index.py).
  if (!Array.isArray(builds))
    for (const rule of [...(Array.isArray(rewrites) ? rewrites : []), ...(Array.isArray(routes) ? routes : [])]) {
      const { destination, dest } = (rule ?? {}) as { destination?: unknown; dest?: unknown };
      const target = typeof destination === 'string' ? destination : dest;
      if (typeof target !== 'string') continue;
      const module = target.replace(/^\//, '').replace(/[?#].*$/, '');
      const file = module.endsWith('.py') ? module : `${module}.py`;
      if (/^api\/[\w./-]+\.py$/.test(file) && !file.includes('..') && exists(join(folder, file))) modules.add(file);
    }
  return [...modules].map((module) => {
    const quoted = source.indexOf(`"${module}`);
    const start = quoted === -1 ? 0 : quoted;
    const at = spanAt(path, source, start, quoted === -1 ? 0 : start + module.length + 1);
    const app = `${module}:app`;
    const command = serverCommand(['@vercel/python', module], at, 'vercel', app);
    return {
      kind: 'vercel' as const,
      name: `${basename(path)} function ${module}`,
      role: 'production' as const,
      roleReason: "Vercel serves the module's WSGI app",
      file: path,
      command,
      environment: [],
      envFiles: [],
    };
  });
}
