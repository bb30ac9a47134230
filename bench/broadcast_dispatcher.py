"""The dispatching worker of the broadcast bench's kill run, in a process of its own (killed
halfway): `python -m bench.broadcast_dispatcher BROADCAST_ID`."""

from __future__ import annotations

import sys

import django


def main() -> None:
    django.setup()
    from gridgov.broadcast.delivery import broadcast_dispatch

    broadcast_dispatch(broadcast_id=int(sys.argv[1]))


if __name__ == "__main__":
    main()
