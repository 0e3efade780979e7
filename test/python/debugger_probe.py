"""Report whether a Flask app would serve the Werkzeug debugger, without serving anything.

Usage: python debugger_probe.py script app.py
       python debugger_probe.py factory 'module:expression'
       python debugger_probe.py flask-run app   (what `flask --app app run` serves)

The server start (werkzeug.serving.run_simple) is replaced by a recorder, so
app.run(), socketio.run() and run_simple() run their real logic up to the
point of listening. Prints one JSON object:
  {"debugger": bool, "app_debug": bool, "runs": [...]}
"""

import importlib
import json
import os
import runpy
import sys

import flask
import werkzeug.serving
from werkzeug.debug import DebuggedApplication

runs = []


def serves_debugger(application, depth=0):
    """True when a WSGI app is (or wraps) DebuggedApplication with its console on."""
    if depth > 10 or application is None:
        return False
    if isinstance(application, DebuggedApplication):
        return True  # with or without the console, it serves tracebacks and source
    inner = getattr(application, "wsgi_app", None) or getattr(application, "app", None)
    return inner is not application and serves_debugger(inner, depth + 1)


def record_run_simple(hostname, port, application, use_reloader=False, use_debugger=False, use_evalex=True, **options):
    # `flask run` passes the loaded app (Flask 2.2 wraps it in a DispatchingApp that holds it as _app).
    loaded = getattr(application, "_app", application)
    runs.append({
        "use_debugger": bool(use_debugger),
        "wrapped": serves_debugger(application),
        "app_debug": bool(getattr(loaded, "debug", False)),
    })


werkzeug.serving.run_simple = record_run_simple
sys.path.insert(0, os.getcwd())

mode, target = sys.argv[1], sys.argv[2]
apps = []
if mode == "flask-run":
    import flask.cli

    flask.cli.run_simple = record_run_simple  # flask.cli imported run_simple by name
    flask.cli.cli.main(args=["--app", target, "run"], prog_name="flask", standalone_mode=False)
elif mode == "script":
    namespace = runpy.run_path(target, run_name="__main__")
    apps = [value for value in namespace.values() if isinstance(value, flask.Flask)]
else:
    module_name, expression = target.split(":", 1)
    module = importlib.import_module(module_name)
    apps = [eval(expression, vars(module))]  # noqa: S307 - the tests name the expression

debugger = any(run["use_debugger"] or run["wrapped"] for run in runs) or any(serves_debugger(app.wsgi_app) for app in apps)
app_debug = any(app.debug for app in apps) or any(run.get("app_debug") for run in runs)
print(json.dumps({"debugger": debugger, "app_debug": app_debug, "runs": runs}))
