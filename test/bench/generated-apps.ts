import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must } from '../support/must.js';

/**
 * Small Flask applications written for the bench (generated here, copied from nowhere), in
 * the shapes check parses: an app module with routes, a config module with classes, and now
 * and then a finding (debug=True, DEBUG = True in a base class, FLASK_DEBUG in .flaskenv, a
 * Dockerfile running the dev server) so that confirming findings and planning fixes is part
 * of the work too. Every fifth app is a package with a factory, every seventh a Dash app.
 */
export function writeFlaskApps(folder: string, count: number): void {
  for (let index = 0; index < count; index++)
    writeFlaskApp(join(folder, `app_${String(index).padStart(4, '0')}`), index);
}

function writeFlaskApp(folder: string, index: number): void {
  mkdirSync(folder, { recursive: true });
  const withFinding = index % 3 === 0;
  const routes = Array.from({ length: 3 + (index % 5) }, (_, route) => route);
  const views = routes
    .map(
      (route) => `
@app.route("/items/${route}")
def item_${route}():
    """Item ${route} of app ${index}."""
    rows = [{"id": n, "name": f"item-{n}"} for n in range(${route + 3})]
    return jsonify(rows=rows, total=len(rows))
`,
    )
    .join('');
  if (index % 7 === 6) {
    writeFileSync(
      join(folder, 'app.py'),
      `from dash import Dash, html\n\napp = Dash(__name__)\nserver = app.server\napp.layout = html.Div([html.H1("Dashboard ${index}")])\n\nif __name__ == "__main__":\n    app.run(debug=${withFinding ? 'True' : 'False'})\n`,
    );
    return;
  }
  writeFileSync(
    join(folder, 'config.py'),
    `import os\n\n\nclass Config:\n    SECRET_KEY = os.environ.get("SECRET_KEY", "dev")\n    DEBUG = ${withFinding && index % 2 === 0 ? 'True' : 'False'}\n    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")\n\n\nclass DevelopmentConfig(Config):\n    DEBUG = True\n\n\nclass ProductionConfig(Config):\n    pass\n\n\nconfig = {"development": DevelopmentConfig, "production": ProductionConfig, "default": ProductionConfig}\n`,
  );
  if (index % 5 === 4) {
    mkdirSync(join(folder, 'service'), { recursive: true });
    writeFileSync(
      join(folder, 'service', '__init__.py'),
      `from flask import Flask, jsonify\n\n\ndef create_app(name="production"):\n    app = Flask(__name__)\n    app.config.from_object(f"config.{name.capitalize()}Config")\n${routes.map((route) => `\n    @app.route("/r${route}")\n    def r${route}():\n        return jsonify(route=${route})\n`).join('')}\n    return app\n`,
    );
    writeFileSync(join(folder, 'wsgi.py'), `from service import create_app\n\napp = create_app()\n`);
    if (withFinding) writeFileSync(join(folder, '.flaskenv'), 'FLASK_APP=wsgi.py\nFLASK_DEBUG=1\n');
    return;
  }
  writeFileSync(
    join(folder, 'app.py'),
    `from flask import Flask, jsonify\n\nfrom config import config\n\napp = Flask(__name__)\napp.config.from_object(config["default"])\n${views}\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=${5000 + (index % 100)}${withFinding && index % 2 === 1 ? ', debug=True' : ''})\n`,
  );
  if (index % 4 === 1) {
    writeFileSync(
      join(folder, 'Dockerfile'),
      `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install flask\nCMD ["python", "app.py"]\n`,
    );
  }
}

/**
 * One large module (`bytes` or a little more): an app with many views and helpers and one
 * `app.run(debug=True)` at the end, the shape of a generated API client or a grown single-file app.
 */
export function writeLargeModule(path: string, bytes: number): void {
  const parts = [
    '"""A large single-module Flask application."""\nfrom flask import Flask, jsonify, request\n\napp = Flask(__name__)\n',
  ];
  let size = must(parts[0]).length;
  for (let index = 0; size < bytes; index++) {
    const part = `

@app.route("/resource/${index}", methods=["GET", "POST"])
def resource_${index}():
    """Handle resource ${index}: list on GET, create on POST."""
    if request.method == "POST":
        payload = request.get_json(silent=True) or {}
        return jsonify(created=True, id=${index}, fields=sorted(payload)), 201
    values = [value * ${(index % 9) + 1} for value in range(${(index % 17) + 3}) if value % 2 == 0]
    return jsonify(resource=${index}, values=values, total=sum(values))
`;
    parts.push(part);
    size += part.length;
  }
  parts.push('\n\nif __name__ == "__main__":\n    app.run(debug=True)\n');
  writeFileSync(path, parts.join(''));
}
