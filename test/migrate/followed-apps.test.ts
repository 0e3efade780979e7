import { describe, expect, it } from 'vitest';
import { migrateInMemory } from '../support/migrate-plan.js';

// Shapes met on public repositories that check missed, each migrated: before and the after a reviewer expects.
describe('an app bound in another module and re-bound locally', () => {
  const settings = 'import connexion\n\napi_app = connexion.App(__name__, specification_dir="spec")\n';
  const runTail = '\nif __name__ == "__main__":\n    service.run(host="0.0.0.0", port=8081, debug=True)\n';

  it.each([
    ['import settings\n\nservice = settings.api_app\n'],
    ['from settings import api_app\n\nservice = api_app\n'],
  ])('%j: run(debug=True) loses its debug argument', async (head) => {
    const result = await migrateInMemory({
      'settings.py': settings,
      'requirements.txt': 'connexion==2.14.2\n',
      'server.py': head + runTail,
    });
    expect(result.after['server.py']).toBe(head + runTail.replace(', debug=True', ''));
    expect(result.after['settings.py']).toBe(settings);
  });

  it('a name re-bound from a project module that is no app is left alone', async () => {
    const registry = 'class Job:\n    def run(self, debug=False):\n        return debug\n\n\nworker = Job()\n';
    const server = 'import registry\n\njob = registry.worker\njob.run(debug=True)\n';
    const result = await migrateInMemory({ 'registry.py': registry, 'server.py': server });
    expect(result.after['server.py']).toBe(server);
  });
});
