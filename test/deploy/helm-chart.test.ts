import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { withoutTemplateActions } from '../../src/deploy/helm-template.js';
import { migrateInMemory } from '../support/migrate-plan.js';
import { tempProject } from '../support/temp-project.js';

// A Helm chart: templates/ hold manifests with `{{ }}` actions, values files hold the settings they take.
const CHART = 'apiVersion: v2\nname: portal\nversion: 1.2.0\n';
const SITE = 'from flask import Flask\n\nportal = Flask(__name__)\n';
const TEMPLATE =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "portal.fullname" . }}\n  labels:\n' +
  '    {{- include "portal.labels" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.web.replicas }}\n' +
  '  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n' +
  '          image: "{{ .Values.web.image }}:{{ .Values.web.tag | default .Chart.AppVersion }}"\n' +
  '          env:\n            - name: PORTAL_REGION\n              value: {{ .Values.web.env.PORTAL_REGION | quote }}\n' +
  '            - name: FLASK_DEBUG\n              value: "1"\n          {{- if .Values.web.extraEnv }}\n' +
  '          {{- toYaml .Values.web.extraEnv | nindent 12 }}\n          {{- end }}\n';
const TEMPLATED_ONLY = TEMPLATE.replace(
  '              value: "1"\n',
  '              value: {{ .Values.web.env.FLASK_DEBUG | quote }}\n',
);
const VALUES = 'web:\n  replicas: 2\n  env:\n    PORTAL_REGION: "eu"\n    FLASK_DEBUG: true\n';

async function findingsOf(files: Record<string, string>) {
  const project = tempProject('secure-flask-helm-');
  try {
    for (const [path, contents] of Object.entries(files)) project.write(path, contents);
    const report = await runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
    return report.findings
      .filter((finding) => finding.ruleId === 'kubernetes-debug-env')
      .map((finding) => [finding.rootPath, finding.line, finding.severity]);
  } finally {
    project.remove();
  }
}

describe('Helm charts', () => {
  it('blanks template actions at the same offsets, leaving literals and GitHub expressions', () => {
    const text = 'a: {{ .Values.a | quote }}\n{{- if .Values.b }}\nb: "1"\n{{- end }}\nc: ${{ secrets.C }}\n';
    const blanked = withoutTemplateActions(text);
    expect(blanked).toHaveLength(text.length);
    expect(blanked.split('\n')).toEqual([
      `a: ~${' '.repeat(22)}`,
      ' '.repeat(19),
      'b: "1"',
      ' '.repeat(10),
      'c: ${{ secrets.C }}',
      '',
    ]);
  });

  it("finds a template's literal FLASK_DEBUG value, and not one the template takes from the values", async () => {
    const chart = { 'helm/portal/Chart.yaml': CHART, 'site.py': SITE };
    expect(await findingsOf({ ...chart, 'helm/portal/templates/deployment.yaml': TEMPLATE })).toEqual([
      ['helm/portal/templates/deployment.yaml', 17, 'error'],
    ]);
    expect(await findingsOf({ ...chart, 'helm/portal/templates/deployment.yaml': TEMPLATED_ONLY })).toEqual([]);
  });

  it.each([
    ['values-dev.yaml', 'warning'],
    ['values-local.yaml', 'warning'],
    ['values.yaml', 'error'],
    ['values-prod.yaml', 'error'],
  ])('a values file %s that turns FLASK_DEBUG on is a finding (%s)', async (name, severity) => {
    const files = {
      'helm/portal/Chart.yaml': CHART,
      'helm/portal/templates/deployment.yaml': TEMPLATED_ONLY,
      [`helm/portal/${name}`]: VALUES,
      'site.py': SITE,
    };
    expect(await findingsOf(files)).toEqual([[`helm/portal/${name}`, 5, severity]]);
  });

  it('migrate removes the entry from production values and leaves development values to their developer', async () => {
    const files = {
      'helm/portal/Chart.yaml': CHART,
      'helm/portal/values-dev.yaml': VALUES,
      'helm/portal/values-prod.yaml': VALUES,
      'site.py': SITE,
    };
    const result = await migrateInMemory(files);
    expect(result.after['helm/portal/values-dev.yaml']).toBe(VALUES);
    expect(result.after['helm/portal/values-prod.yaml']).toBe(VALUES.replace('    FLASK_DEBUG: true\n', ''));
    expect(result.manual).toEqual(['helm/portal/values-dev.yaml:5 kubernetes-debug-env']);
  });

  it('a values-like file outside any chart is not read as values', async () => {
    expect(await findingsOf({ 'config/values-prod.yaml': VALUES, 'site.py': SITE })).toEqual([]);
  });
});
