import type { TestProject } from 'vitest/node';
import { ensureTestPython } from './support/python-env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    python: string;
  }
}

/** Runs once before all test files: the pinned Python environment every Python-facing test uses. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('python', await ensureTestPython());
}
