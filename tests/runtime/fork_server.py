"""`python train.py ARGS` without paying for `import tensorflow` each time: a script that imports TensorFlow and
Keras once, then forks a child per request and runs train.py in it as a fresh process would from that point on.

TensorFlow is only imported here, never started (no device listed, no op run), so each child still chooses its
own devices and strategy, makes its own logical CPUs, and dies alone when a crash point kills it (SIGKILL).
Requests come one JSON line at a time on standard input: {"script", "args", "cwd", "env", "stdout", "stderr"}
(the last two are file paths); the answers are two JSON lines on standard output, {"pid"} at once and
{"returncode"} when the child has ended (negative: the signal that ended it, as subprocess reports it).
"""

import json
import os
import runpy
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # as the quiet start of a project's train.py sets it
import keras  # noqa: E402,F401  (imports TensorFlow)


def exit_status(code) -> int:
    """What Python makes of `sys.exit(code)` (train.py ends in `sys.exit(main())`)."""
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)
    return 1


def run_in_this_child(request: dict) -> None:
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)  # the next request is the server's, not this child's
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(handle, fd)
        os.close(handle)
    sys.argv = [request["script"], *request["args"]]
    try:
        runpy.run_path(request["script"], run_name="__main__")
        status = 0
    except SystemExit as ended:
        status = exit_status(ended.code)
    except BaseException:  # noqa: BLE001 (an uncaught error ends a real process with status 1 and its traceback)
        traceback.print_exc()
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            run_in_this_child(request)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    serve()
