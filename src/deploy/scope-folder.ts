import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

// Folders that hold deploy files for the project around them: `deploy/app.service` serves the code beside `deploy/`.
const DEPLOY_FOLDERS =
  /^(?:deploy|deployment|deployments|docker|k8s|kubernetes|manifests|systemd|supervisor|supervisord|etc|conf|config|ops|infra|heroku|scripts|bin|charts|helm|uwsgi|gunicorn)$/i;

/**
 * The folder whose code a deploy file runs: its own folder, above folders that only hold deploy files
 * (a Helm chart, a folder with Chart.yaml under whatever name, is one).
 */
export function scopeFolderOf(deployFile: string): string {
  let folder = dirname(deployFile);
  while (
    (DEPLOY_FOLDERS.test(folder.slice(folder.lastIndexOf(sep) + 1)) || isHelmChart(folder)) &&
    dirname(folder) !== folder
  )
    folder = dirname(folder);
  return folder;
}

/** True when `folder` is a Helm chart: it holds a Chart.yaml. */
export function isHelmChart(folder: string): boolean {
  return existsSync(join(folder, 'Chart.yaml'));
}
