"""tests/engines holds the engine drivers and node packages, not tests: keep pytest out of node_modules."""

collect_ignore_glob = ["node_modules/*"]
