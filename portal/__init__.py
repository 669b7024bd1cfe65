"""Make It Right: a customer-participation feedback and resolution portal.

The application factory lives in `portal.app`; importing `portal` itself loads nothing, so the services below it can
be used (by the worker, the CLI, scripts and tests) without Flask."""
