"""partnerbot's platform-neutral core: commands, domain, policies and ports.

Imports nothing else of ours (enforced by import-linter)."""
