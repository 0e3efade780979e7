import type { RuntimeEntrypoint } from './entrypoint.js';

/** The repository's entrypoints from the deploy model (src/deploy), in verify's terms. */
export async function productionEntrypointsOf(_root: string): Promise<RuntimeEntrypoint[]> {
  return [];
}
