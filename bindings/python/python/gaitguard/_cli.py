"""The ``gaitguard`` command installed by the wheel: the Rust command line itself."""

import sys

from . import _native


def main() -> None:
    sys.exit(_native.run_cli(["gaitguard", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
