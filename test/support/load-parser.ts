import { loadPythonParser } from '../../src/python/parser.js';

// Once per test file: what every command and check worker does at start.
await loadPythonParser();
