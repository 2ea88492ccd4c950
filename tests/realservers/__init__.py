"""Start real servers (Prometheus, Pushgateway, Alertmanager, Redis, nginx, a static HTTP server) for tests.

Every server binds 127.0.0.1 only, on a free port, with its config and data in a temporary directory.
The fixtures in ``tests/conftest.py`` wrap the ``start_*`` functions of the modules here; tests that need
a non-default set-up can call those functions directly. See docs/testing.md.
"""
