"""``python -m jnpolicy_analysis.cli``: the ``jnpolicy`` command."""

from . import main

raise SystemExit(main())
