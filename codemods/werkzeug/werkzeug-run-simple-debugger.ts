import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { argumentRange, callsOf, defaultOnFix, switchValue } from '../../src/python/flask-patterns.js';
import { importsModuleGlobally, importStatementEdit, nameScopeAt } from '../../src/python/imports.js';
import { argumentValue } from '../../src/python/syntax.js';
import { nodeAt, removeListItem, removeStatement, STRICT_FLASK_DEBUG_READ } from '../../src/python/edit-helpers.js';
import { splatDebug } from '../run/splat-options.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

const RUN_SIMPLE = new Set(['werkzeug.serving.run_simple', 'werkzeug.run_simple']);
// run_simple(hostname, port, application, use_reloader, use_debugger, use_evalex, ...)
const USE_DEBUGGER_POSITION = 4;

export const runSimpleDebugger: PythonRule = {
  id: 'werkzeug-run-simple-debugger',
  language: 'python',
  title: "Werkzeug's run_simple() with use_debugger=True",
  severity: 'error',
  hint: 'drop use_debugger (or read it from an explicit development check) and serve production with a WSGI server',
  keywords: ['run_simple'],
  prefilter: /run_simple/,
  doc: {
    why:
      '`run_simple(..., use_debugger=True)` is the development server with the interactive debugger in front of ' +
      'the app: an exception gives the visitor a Python console. It is meant for a developer machine only. The ' +
      'switch counts however it arrives: unpacked from a mapping (`run_simple(host, port, app, **options)` with ' +
      '`"use_debugger": True`) or set on the unpacked name before the call (`options.setdefault("use_debugger", ' +
      'True)`, `options["use_debugger"] = True`).',
    example: 'from werkzeug.serving import run_simple\n\nrun_simple("0.0.0.0", 8000, app, use_debugger=True)',
    fix: 'run_simple("127.0.0.1", 8000, app, use_debugger=app.debug)  # development only; production uses gunicorn',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.werkzeugServing, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ facts }) {
    const detections: Detection[] = [];
    for (const { call, parts } of callsOf(facts, RUN_SIMPLE)) {
      const useDebugger = argumentValue(parts, 'use_debugger', USE_DEBUGGER_POSITION);
      // `run_simple(host, port, app, **options)` with `options.setdefault("use_debugger", True)` or a dict entry.
      const unpacked = !useDebugger && parts.hasSplat ? splatDebug(facts, call, 'use_debugger') : undefined;
      if (unpacked)
        detections.push({
          start: unpacked.splat.startIndex,
          end: unpacked.splat.endIndex,
          message:
            `run_simple() unpacks ${unpacked.mapping}, whose use_debugger=${unpacked.value.describe} ` +
            'serves the Werkzeug debugger console',
        });
      const state = useDebugger && switchValue(facts, useDebugger);
      if (!useDebugger || !state?.truthy) continue;
      detections.push({
        ...argumentRange(parts, 'use_debugger', useDebugger),
        message: `run_simple() with use_debugger=${state.describe} serves the Werkzeug debugger console`,
      });
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    const node = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    const unpacked =
      node.type === 'dictionary_splat' && node.parent?.parent
        ? splatDebug(facts, node.parent.parent, 'use_debugger')
        : undefined;
    // The entry goes: run_simple's use_debugger defaults to off.
    if (unpacked)
      return {
        title: `remove use_debugger from ${unpacked.mapping}, which run_simple() unpacks`,
        edits: [
          unpacked.entryIsStatement ? removeStatement(source, unpacked.entry) : removeListItem(source, unpacked.entry),
        ],
      };
    const value = node.type === 'keyword_argument' ? node.childForFieldName('value') : node;
    if (!value) return undefined;
    const flipped = defaultOnFix(facts, value);
    if (flipped) return flipped;
    const title = 'read use_debugger from FLASK_DEBUG, strictly: only 1/true/yes turn the debugger on';
    const replace = (read: string) => ({ start: value.startIndex, end: value.endIndex, replacement: read });
    // `os` must mean the os module where the call is: a parameter or local named os would
    // make `os.environ` an AttributeError, a function-local `import os` elsewhere a NameError.
    switch (nameScopeAt(value, 'os')) {
      case 'global':
        return { title, edits: [replace(STRICT_FLASK_DEBUG_READ)], imports: ['os'] };
      case 'local-module':
        return { title, edits: [replace(STRICT_FLASK_DEBUG_READ)] };
      case 'shadowed': {
        if (nameScopeAt(value, OS_ALIAS) !== 'global') return undefined;
        const aliased = importsModuleGlobally(facts, 'os', OS_ALIAS);
        if (!aliased && (facts.imports.has(OS_ALIAS) || facts.constantNode(OS_ALIAS))) return undefined;
        const edits = [replace(STRICT_FLASK_DEBUG_READ.replace(/^os\./, `${OS_ALIAS}.`))];
        if (!aliased) edits.push(importStatementEdit(facts.tree, source, `import os as ${OS_ALIAS}`));
        return { title, edits };
      }
    }
  },
};

// The name `os` is taken where the call is; the module is imported under this one instead.
const OS_ALIAS = '_os';
