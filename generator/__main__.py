from .cli import main
from .engine.write import exit_now

if __name__ == "__main__":
    exit_now(main())
