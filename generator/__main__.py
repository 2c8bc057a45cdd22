import gc
import os
import sys

from .cli import collects, main
from .engine.write import exit_now


def run() -> int | None:
    try:
        return main()
    except BrokenPipeError:
        # Whoever read our output has stopped (`generator check | head -1`): there is nothing more
        # to say, and no traceback to show. Python's advice: point stdout at the null device, so that
        # the last flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    if not collects(sys.argv[1:]):
        gc.disable()
    exit_now(run())
