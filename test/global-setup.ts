import type { TestProject } from 'vitest/node';
import { ensureConnexion2Python, ensureTestPython } from './support/python-env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    python: string;
    /** Python with Connexion 2 (Flask 2.2): it cannot share the main venv's Flask 3.1. */
    pythonConnexion2: string;
  }
}

/** Runs once before all test files: the pinned Python environment every Python-facing test uses. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('python', await ensureTestPython());
  project.provide('pythonConnexion2', await ensureConnexion2Python());
}
