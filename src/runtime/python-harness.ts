/**
 * Python that verify writes to a private temp folder and puts first on PYTHONPATH
 * for every command it starts.
 *
 * sitecustomize.py (Python imports it at start-up, for every process, children too)
 * refuses any IPv4/IPv6 bind outside loopback, so whatever the command or the app
 * asks for, nothing listens beyond 127.0.0.1 / ::1. The launchers force the address
 * on the command line; this is the guarantee behind them.
 *
 * run_script.py runs `python app.py` (or `python -m pkg`) as __main__, after pointing
 * the servers a script can start at 127.0.0.1 and the port verify chose: werkzeug's
 * run_simple (app.run() calls it), Flask-SocketIO's SocketIO.run and waitress.serve.
 * The reloader is turned off: it would re-run the script without this harness.
 */
export const SITECUSTOMIZE_PY = String.raw`import ipaddress
import os
import socket

_original_bind = socket.socket.bind


def _is_loopback(host):
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _loopback_only_bind(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        host = address[0]
        if not _is_loopback(host):
            raise PermissionError(
                "secure-flask verify: refused to bind %r: verify only listens on 127.0.0.1" % (address,)
            )
    return _original_bind(self, address)


socket.socket.bind = _loopback_only_bind


def _stay_in_process_group(*args, **kwargs):
    return None


for _name in ("setsid", "setpgrp", "setpgid"):
    if hasattr(os, _name):
        setattr(os, _name, _stay_in_process_group)
`;

export const RUN_SCRIPT_PY = String.raw`import os
import runpy
import sys

HOST = "127.0.0.1"
PORT = int(sys.argv[1])
MODE, TARGET = sys.argv[2], sys.argv[3]
ARGS = sys.argv[4:]


def _patch_run_simple():
    import werkzeug.serving

    original = werkzeug.serving.run_simple

    def run_simple(hostname, port, application, *args, **kwargs):
        kwargs["use_reloader"] = False
        if len(args) >= 1:
            args = (False,) + tuple(args[1:])
            kwargs.pop("use_reloader")
        return original(HOST, PORT, application, *args, **kwargs)

    werkzeug.serving.run_simple = run_simple


def _patch_socketio():
    try:
        import flask_socketio
    except ImportError:
        return
    original = flask_socketio.SocketIO.run

    def run(self, app, host=None, port=None, **kwargs):
        kwargs["use_reloader"] = False
        return original(self, app, host=HOST, port=PORT, **kwargs)

    flask_socketio.SocketIO.run = run


def _patch_waitress():
    try:
        import waitress
    except ImportError:
        return
    original = waitress.serve

    def serve(app, **kwargs):
        for key in ("host", "port", "listen", "unix_socket", "sockets"):
            kwargs.pop(key, None)
        return original(app, listen="%s:%d" % (HOST, PORT), **kwargs)

    waitress.serve = serve


try:
    _patch_run_simple()
except ImportError:
    pass
_patch_socketio()
_patch_waitress()

if MODE == "module":
    sys.argv = [TARGET] + ARGS
    sys.path.insert(0, os.getcwd())
    runpy.run_module(TARGET, run_name="__main__", alter_sys=True)
else:
    sys.argv = [TARGET] + ARGS
    sys.path.insert(0, os.path.dirname(os.path.abspath(TARGET)))
    runpy.run_path(TARGET, run_name="__main__")
`;
