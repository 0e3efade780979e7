import { loadYaml } from '../../src/files/yaml-library.js';
import { loadPythonParser } from '../../src/python/parser.js';

// Once per test file: what every command and check worker does at start. Tests that build a model or
// read YAML without withLazyParsers find the yaml package loaded too.
await loadPythonParser();
await loadYaml();
