"""gunicorn's settings for `make run` (and a starting point for production).

Workers from the core count: the work is Python and the database, so two processes per core keep
the cores busy while one waits on the database, plus one.
"""

import multiprocessing

workers = multiprocessing.cpu_count() * 2 + 1
# A request that takes longer than this is stuck, not slow: the worker is replaced.
timeout = 60
# One line per request on standard output, like the development server.
accesslog = "-"
